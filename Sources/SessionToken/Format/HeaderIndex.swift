#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Finds the key whose canonical header segment equals a token's first segment, by hashing
/// the bytes in place: an O(1) lookup that neither allocates nor decodes base64 or JSON.
///
/// Tokens this library sealed always hit; a miss only means the header must be parsed in full
/// (another JOSE library's member order, extra members), never that the token is invalid.
struct HeaderIndex: Sendable {
    private let segments: [[UInt8]]
    /// Open addressing with linear probing; -1 marks an empty slot. At most half full.
    private let slots: [Int32]
    private let mask: Int

    init(segments: [[UInt8]]) {
        self.segments = segments
        var capacity = 4
        while capacity < segments.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (index, segment) in segments.enumerated() {
            var slot = segment.withUnsafeBytes { Self.hash($0) } & (capacity - 1)
            while slots[slot] != -1 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        self.slots = slots
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

    /// Eight bytes per step (unaligned load, xor, multiply), mixed once at the end, then
    /// FNV-1a over the tail: the header is public and the table is fixed, so a fast non-keyed
    /// hash is enough; a collision costs one extra comparison. Keeping the loop to one xor and
    /// one multiply keeps its dependency chain short (this runs on every open).
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}
