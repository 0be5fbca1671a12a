/// A parsed JSON value (RFC 8259). The library builds these only off the hot path: for a
/// protected header that is not the one this library writes, and in tests.
package enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Member names are unique: the parser rejects duplicates.
    case object([String: JSONValue])

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }
}
