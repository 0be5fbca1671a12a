/// Bounds on the JSON this library reads, so that a document that fits in a cookie cannot
/// make the parser recurse deeply or build large structures.
struct JSONLimits: Sendable {
    /// Deepest nesting of arrays and objects (the top-level object counts as 1).
    var maxDepth: Int = 16
    /// Most members in any one object and elements in any one array, and in the whole document.
    var maxMembers: Int = 256
}
