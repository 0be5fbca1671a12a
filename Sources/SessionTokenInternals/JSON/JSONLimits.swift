/// Bounds on the JSON this library reads, so that a document that fits in a cookie cannot
/// make the parser recurse deeply or build large structures.
package struct JSONLimits: Sendable {
    /// Deepest nesting of arrays and objects (the top-level object counts as 1).
    package var maxDepth: Int
    /// Most members and elements in the whole document.
    package var maxMembers: Int

    package init(maxDepth: Int = 16, maxMembers: Int = 256) {
        self.maxDepth = maxDepth
        self.maxMembers = maxMembers
    }
}
