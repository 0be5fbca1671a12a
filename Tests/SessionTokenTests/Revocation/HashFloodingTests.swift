import Foundation
import SessionTokenTestSupport
import XCTest

@testable import SessionToken
@testable import SessionTokenRevocation

/// The revocation tables are keyed by IDs users choose (a user ID): every byte must go through
/// a per-process secret, or IDs made to collide pile into one bucket and loading the set turns
/// quadratic (the security review loaded 20,000 such IDs in 15.7 s against 0.05 s).
final class HashFloodingTests: XCTestCase {
    /// The hash the tables and the filter used to take: the ID's words folded into one without
    /// a secret. It has none, so IDs that share it can be made offline, as an attacker would.
    static func oldFold(_ id: [UInt8]) -> UInt64 {
        precondition(id.count == 24)
        let w = id.withUnsafeBytes { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian,
             bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian,
             bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
        }
        return w.0 ^ (w.1 &* 0x9E37_79B9_7F4A_7C15) ^ (w.2 &* 0xC2B2_AE3D_27D4_EB4F) ^ 24
    }

    /// `count` distinct 24-byte ASCII IDs that all share `oldFold` with one target: the first
    /// sixteen bytes chosen at random (0x40 to 0x7F), the last eight solved for (the multiplier
    /// is odd, so it has an inverse modulo 2^64) and kept when they are ASCII without NUL.
    static func collidingIDs(_ count: Int, seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        let target: UInt64 = 0x0123_4567_89AB_CDEF
        let c2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var inverse: UInt64 = 1  // Newton's iteration for the inverse of an odd number mod 2^64
        for _ in 0..<6 { inverse = inverse &* (2 &- c2 &* inverse) }
        let high: UInt64 = 0x8080_8080_8080_8080, low: UInt64 = 0x0101_0101_0101_0101
        var ids = Set<String>()
        while ids.count < count {
            let w0 = random.next() & 0x3F3F_3F3F_3F3F_3F3F | 0x4040_4040_4040_4040
            let w1 = random.next() & 0x3F3F_3F3F_3F3F_3F3F | 0x4040_4040_4040_4040
            let w2 = (target ^ w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ 24) &* inverse
            // ASCII (no high bit) and no zero byte (the classic has-zero-byte test).
            guard w2 & high == 0, (w2 &- low) & ~w2 & high == 0 else { continue }
            let id = withUnsafeBytes(of: (w0.littleEndian, w1.littleEndian, w2.littleEndian)) {
                String(decoding: $0, as: UTF8.self)
            }
            ids.insert(id)
        }
        return Array(ids)
    }

    static func randomIDs(_ count: Int, seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in String(decoding: (0..<24).map { _ in UInt8.random(in: 0x21...0x7E, using: &random) }, as: UTF8.self) }
    }

    /// How the IDs spread: distinct hash values (Swift's `Hasher`, which the tables use, under
    /// the process's seed), the fullest of 2^15 buckets by those values, and distinct slots of
    /// the revocation filter sized for them (2^19 slots, keyed multiply-shift).
    static func spread(_ ids: [String]) -> (hashes: Int, fullestBucket: Int, filterSlots: Int) {
        let keys = ids.compactMap(InlineText.init)
        precondition(keys.count == ids.count, "24-byte IDs are kept inline")
        let hashes = keys.map(\.hashValue)
        var buckets = [Int](repeating: 0, count: 1 << 15)
        for hash in hashes { buckets[hash & (1 << 15 - 1)] += 1 }
        let slots = Set(keys.map { RevocationSet.userFilterSlot($0, shift: 64 - 19) })
        return (Set(hashes).count, buckets.max() ?? 0, slots.count)
    }

    /// IDs made to share the old fold spread like random ones through both the tables' hash and
    /// the filter's: counted, not timed (a timed comparison failed under AddressSanitizer on a
    /// loaded machine, at 2.16x for a limit of 2x). With the old fold all 20,000 would share one
    /// hash, one bucket and one slot, and loading them was quadratic (15.7 s against 0.05 s).
    func testIDsSharingTheOldFoldSpreadLikeRandomOnes() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let colliding = Self.collidingIDs(20_000, seed: 0xF100D)
        XCTAssertEqual(colliding.count, 20_000)
        XCTAssertEqual(Set(colliding.map { Self.oldFold(Array($0.utf8)) }).count, 1, "the generator's IDs share one fold")
        let random = Self.randomIDs(20_000, seed: 0x5EED)
        for (name, ids) in [("colliding", colliding), ("random", random)] {
            let spread = Self.spread(ids)
            // 20,000 values of 64 bits: a repeat is all but impossible; 2^15 buckets: about 7 in the
            // fullest; 2^19 slots: about 19,620 distinct.
            XCTAssertGreaterThanOrEqual(spread.hashes, 19_990, name)
            XCTAssertLessThanOrEqual(spread.fullestBucket, 14, name)
            XCTAssertGreaterThanOrEqual(spread.filterSlots, 19_000, name)
        }

        // And the set still answers exactly for them.
        let set = RevocationSet(colliding.map { Revocation.user($0, before: now, retainedFor: 3_600) }, at: now)
        let earlier = now.addingTimeInterval(-1)
        for id in colliding.prefix(500) { XCTAssertTrue(set.revokes(subject: id, sessionStart: earlier, sessionID: nil)) }
        let revoked = Set(colliding)
        for id in Self.collidingIDs(520, seed: 0xBEEF).filter({ !revoked.contains($0) }).prefix(500) {
            XCTAssertFalse(set.revokes(subject: id, sessionStart: earlier, sessionID: nil))
        }
    }
}
