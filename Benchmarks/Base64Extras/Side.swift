// Benchmark-only (issue 29): one side of the comparison. `compare.sh` compiles this file twice:
// as `HandSide` against the library as it is, and as `ExtrasSide` (with BASE64_EXTRAS) against
// the same sources with swift-extras-base64 doing the base64url work. Everything but the codec
// is the same code, so the driver can pair the two in one process.
import Foundation

#if BASE64_EXTRAS
import ExtrasBase64
import SessionTokenExtras
#else
import SessionToken
#endif

public final class Side: @unchecked Sendable {
    let sealer: SessionSealer
    /// The segments `open` decodes (nonce, ciphertext, tag), then the header, as text.
    let texts: [UnsafeRawBufferPointer]
    /// Their decoded bytes, for encoding.
    let bytes: [UnsafeRawBufferPointer]
    /// Room for the largest decoded segment; each decode gets exactly its length of it, as in `open`.
    let scratch: UnsafeMutableRawBufferPointer

    /// A one-key ring under `keyBytes` (id `bench-k0`, as the suite's fixtures), and the
    /// segments of `token`.
    public init(keyBytes: [UInt8], token: String) throws {
        sealer = try SessionSealer(keys: KeyRing(primary: SessionKey(id: "bench-k0", bytes: keyBytes)))
        let segments = token.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        precondition(segments.count == 5, "not a compact token")
        let order = [segments[2], segments[3], segments[4], segments[0]]
        texts = order.map { text in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: text.count, alignment: 16)
            copy.copyBytes(from: text)
            return UnsafeRawBufferPointer(copy)
        }
        scratch = .allocate(byteCount: 4096, alignment: 16)
        var decoded: [UnsafeRawBufferPointer] = []
        for text in texts {
            let length = Base64URL.decodedLength(text.count)!
            let out = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 16)
            precondition(Base64URL.decode(text, into: out) == length, "a segment does not decode")
            decoded.append(UnsafeRawBufferPointer(out))
        }
        bytes = decoded
    }

    /// A token of the suite's claims under a one-key ring of `keyBytes`.
    public static func makeToken(keyBytes: [UInt8], at time: Date) throws -> String {
        try SessionSealer(keys: KeyRing(primary: SessionKey(id: "bench-k0", bytes: keyBytes)))
            .seal(subject: "user-0123456789", at: time)
    }

    public func seal(at time: Date) throws -> String {
        try sealer.seal(subject: "user-0123456789", at: time)
    }

    public func opens(_ token: String, at time: Date) -> Bool {
        do {
            _ = try sealer.open(token, at: time)
            return true
        } catch {
            return false
        }
    }

    /// `n` opens of `token`; the number that succeeded.
    @inline(never)
    public func open(_ token: String, at time: Date, times n: Int) -> Int {
        var ok = 0
        for _ in 0..<n {
            do {
                _ = try sealer.open(token, at: time)
                ok &+= 1
            } catch {}
        }
        return ok
    }

    /// `n` seals of the suite's claims; the total length of the tokens.
    @inline(never)
    public func seal(at time: Date, times n: Int) -> Int {
        var total = 0
        for _ in 0..<n {
            if let token = try? sealer.seal(subject: "user-0123456789", at: time) { total &+= token.utf8.count }
        }
        return total
    }

    /// `n` decodes of the first `segments` segments (3: what `open` decodes; 4: with the header),
    /// each into exactly its decoded length.
    @inline(never)
    public func decode(segments: Int, times n: Int) -> Int {
        var total = 0
        for _ in 0..<n {
            for k in 0..<segments {
                let text = texts[k]
                let out = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<Base64URL.decodedLength(text.count)!])
                total &+= Base64URL.decode(text, into: out) ?? -1
            }
        }
        return total
    }

    /// `n` encodes of the nonce, ciphertext and tag (what `seal` encodes besides the fixed header).
    @inline(never)
    public func encode(times n: Int) -> Int {
        var total = 0
        for _ in 0..<n {
            for k in 0..<3 {
                let out = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<Base64URL.encodedLength(bytes[k].count)])
                Base64URL.encode(bytes[k], into: out)
                total &+= Int(out[0])
            }
        }
        return total
    }

    #if BASE64_EXTRAS
    /// ExtrasBase64 called directly on the same segments, into room for whole groups and
    /// without the canonical checks: the least a drop-in could cost.
    @inline(never)
    public func decodeBare(segments: Int, times n: Int) -> Int {
        var total = 0
        let options: Base64.DecodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]
        for _ in 0..<n {
            for k in 0..<segments {
                var out = scratch.bindMemory(to: UInt8.self).mutableSpan
                total &+= (try? Base64.decode(bytes: texts[k].bindMemory(to: UInt8.self).span, into: &out, options: options)) ?? -1
            }
        }
        return total
    }

    @inline(never)
    public func encodeBare(times n: Int) -> Int {
        var total = 0
        let options: Base64.EncodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]
        for _ in 0..<n {
            for k in 0..<3 {
                var out = scratch.bindMemory(to: UInt8.self).mutableSpan
                total &+= Base64.encode(bytes: bytes[k].bindMemory(to: UInt8.self).span, into: &out, options: options)
            }
        }
        return total
    }
    #else
    /// The hand-written codec's table-driven Swift path (processors without SSSE3: arm64,
    /// Apple silicon), on the same segments.
    @inline(never)
    public func decodeScalar(segments: Int, times n: Int) -> Int {
        var total = 0
        for _ in 0..<n {
            for k in 0..<segments {
                let text = texts[k]
                let out = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<Base64URL.decodedLength(text.count)!])
                total &+= Base64URL.decodeScalar(text, into: out) ?? -1
            }
        }
        return total
    }

    @inline(never)
    public func encodeScalar(times n: Int) -> Int {
        var total = 0
        for _ in 0..<n {
            for k in 0..<3 {
                let out = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<Base64URL.encodedLength(bytes[k].count)])
                Base64URL.encodeScalar(bytes[k], into: out)
                total &+= Int(out[0])
            }
        }
        return total
    }
    #endif

    /// The codec on one text: its bytes, or nil where it refuses the text.
    public static func decodeOne(_ text: [UInt8]) -> [UInt8]? {
        guard let length = Base64URL.decodedLength(text.count) else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        let result = text.withUnsafeBytes { t in out.withUnsafeMutableBytes { Base64URL.decode(t, into: $0) } }
        return result == length ? out : nil
    }

    public static func encodeOne(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Base64URL.encodedLength(bytes.count))
        bytes.withUnsafeBytes { b in out.withUnsafeMutableBytes { Base64URL.encode(b, into: $0) } }
        return out
    }
}
