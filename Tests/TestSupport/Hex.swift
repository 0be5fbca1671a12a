/// Bytes from hex text (test fixtures only); characters other than hex digits are skipped.
public func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var high: UInt8?
    for c in text.utf8 {
        let v: UInt8
        switch c {
        case 48...57: v = c - 48
        case 97...102: v = c - 87
        case 65...70: v = c - 55
        default: continue
        }
        if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
    }
    return bytes
}

extension Array where Element == UInt8 {
    /// Bytes from hex text, as ``hexBytes(_:)``.
    public init(hex: String) { self = hexBytes(hex) }

    /// Lowercase hex of the bytes.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
