import struct Foundation.Date
import SessionToken

/// A user ID of up to 24 bytes and its cut-off, in the 32 bytes a hash-table slot of the ID
/// alone takes: the seven bytes the ID leaves (it is 25 bytes at 8-byte alignment) hold the
/// cut-off in microseconds since 2001 (the reference date `Date` itself counts from, so that
/// the check compares what `Date`'s `<` compares), rounded up.
///
/// A table of IDs and `Date`s took 40 bytes a slot, up to 110 bytes an entry just past one of
/// Swift's table doublings (measured, `users=49153 set memory` in the `Curves` group); a set of
/// these takes at most 88. Equal and hashed by the ID alone, so that the set finds an entry
/// by its user.
struct UserCutOff: Hashable, Sendable {
    let user: InlineText
    // The cut-off's 56 bits, in the padding after `user`: 1 + 2 + 4 bytes, each aligned.
    private let low: UInt8
    private let middle: UInt16
    private let high: UInt32

    /// Cut-offs are held between 2001 and 2^56 - 1 microseconds later (the year 4284); an
    /// earlier one is held as 2001, which revokes more, never less.
    static let maxMicroseconds: UInt64 = 1 << 56 - 1

    /// `user`'s entry with the cut-off `time`, rounded up to the microsecond: a session that
    /// began within a microsecond after the cut-off is revoked too, never one before it spared.
    init(user: InlineText, cutOff time: Date) {
        let t = time.timeIntervalSinceReferenceDate
        let micros = (t * 1_000_000).rounded(.up)
        // Not a number compares as nothing, as the `Date` it came in did (never a trap).
        var clamped = !(micros > 0) ? 0 : micros >= Double(Self.maxMicroseconds) ? Self.maxMicroseconds : UInt64(micros)
        // The product above is rounded: settle on the least count whose reading back
        // (`seconds`) is not below the time given. Below it, a session that began just before
        // the cut-off would be spared; above it, one that began at the cut-off revoked.
        while clamped > 0, Self.seconds(clamped - 1) >= t { clamped -= 1 }
        while clamped < Self.maxMicroseconds, Self.seconds(clamped) < t { clamped += 1 }
        self.init(user: user, microseconds: clamped)
    }

    /// The entry to look `user` up by (its cut-off is never read).
    init(probing user: InlineText) {
        self.init(user: user, microseconds: 0)
    }

    private init(user: InlineText, microseconds: UInt64) {
        self.user = user
        low = UInt8(truncatingIfNeeded: microseconds)
        middle = UInt16(truncatingIfNeeded: microseconds >> 8)
        high = UInt32(truncatingIfNeeded: microseconds >> 24)
    }

    /// The cut-off in microseconds since 2001.
    var microseconds: UInt64 { UInt64(low) | UInt64(middle) << 8 | UInt64(high) << 24 }

    /// True when a session that began at `start` began before the cut-off.
    func precedes(_ start: Date) -> Bool {
        start.timeIntervalSinceReferenceDate < Self.seconds(microseconds)
    }

    /// Microseconds as seconds since 2001, the one rounding both the entry and its check use.
    private static func seconds(_ microseconds: UInt64) -> Double {
        Double(microseconds) / 1_000_000
    }

    static func == (lhs: UserCutOff, rhs: UserCutOff) -> Bool { lhs.user == rhs.user }

    func hash(into hasher: inout Hasher) { user.hash(into: &hasher) }
}
