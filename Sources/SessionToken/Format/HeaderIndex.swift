#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The header segments of a ring's keys, in the ring's order: what sealing writes as a token's
/// first segment, and what opening finds a token's key by, hashing the bytes in place (an O(1)
/// lookup that neither allocates nor decodes base64 or JSON). The one per-key cache of the
/// token format; the key ring builds it from its keys' IDs and encryptions.
///
/// Tokens this library sealed always hit; a miss only means the header must be parsed in full
/// (another JOSE library's member order, extra members), never that the token is invalid.
struct HeaderIndex: Sendable {
    /// `segments[i]` is the canonical header segment of key `i` (see ``ProtectedHeader``).
    let segments: [[UInt8]]
    /// Open addressing with linear probing; -1 marks an empty slot. At most half full.
    private let slots: [Int32]
    private let mask: Int
    /// The most slots any segment sits past its hash's slot: a lookup of a member compares at
    /// most this many other segments first. Kept for the tests of the hash's spread.
    let longestProbe: Int

    /// The canonical segments of keys with these IDs and encryptions.
    init(keys: [(id: String, encryption: TokenEncryption)]) {
        self.init(segments: keys.map { ProtectedHeader.canonicalSegment(kid: $0.id, encryption: $0.encryption) })
    }

    init(segments: [[UInt8]]) {
        self.segments = segments
        var capacity = 4
        while capacity < segments.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        var longestProbe = 0
        for (index, segment) in segments.enumerated() {
            var slot = segment.withUnsafeBytes { Self.hash($0) } & (capacity - 1)
            var probe = 0
            while slots[slot] != -1 {
                slot = (slot + 1) & (capacity - 1)
                probe += 1
            }
            slots[slot] = Int32(index)
            longestProbe = max(longestProbe, probe)
        }
        self.slots = slots
        self.longestProbe = longestProbe
        self.mask = capacity - 1
    }

    /// The index of the segment equal to `bytes`, if any.
    @inline(__always)
    func lookup(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var slot = Self.hash(bytes) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if segments[index].withUnsafeBytes({ Self.equal($0, bytes) }) { return index }
            slot = (slot + 1) & mask
        }
    }

    /// Byte equality with `memcmp` (the header is public: no need for constant time).
    @inline(__always)
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// The length and the last sixteen bytes, mixed: enough to tell the canonical headers of a
    /// ring apart, since they differ only in their `kid`, which the canonical form writes last
    /// (so it fills the end of the segment). The equality check after it reads every byte, so
    /// the hash only picks a slot: two headers that share their last sixteen bytes cost one
    /// extra comparison, and probing ends within the ring's size. The header is public and the
    /// table fixed, so a non-keyed hash is enough; two independent loads and multiplies (not a
    /// chain over the whole segment) because this runs on every open.
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        var a: UInt64 = 0, b: UInt64 = 0
        if n >= 8 {
            // Two loads ending at the last byte; they overlap when fewer than 16 bytes.
            a = bytes.loadUnaligned(fromByteOffset: Swift.max(n - 16, 0), as: UInt64.self)
            b = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { a = a << 8 | UInt64(bytes[i]) }
        }
        // The kid's last characters sit in the top bytes of `b`, and a product carries a
        // difference only upwards; so fold the high half down before the last multiply and
        // take the slot from the high half of that, which depends on every bit below it.
        var h = (a ^ UInt64(truncatingIfNeeded: n)) &* 0x9E37_79B9_7F4A_7C15 ^ b &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 32)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h >> 32)
    }
}
