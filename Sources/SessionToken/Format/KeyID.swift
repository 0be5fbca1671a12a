/// Key identifiers: 1 to 64 characters of `[A-Za-z0-9._-]`, so that an ID can be written
/// into a JSON header and a key ring spec without escaping.
enum KeyID {
    static let maxLength = 64

    static func isValid(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (1...maxLength).contains(utf8.count) else { return false }
        return utf8.allSatisfy(isAllowed)
    }

    @inline(__always)
    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
