/// Where a key stands in its lifecycle within a ``KeyRing``.
///
/// The order of a rotation is always: a new key is *added* (accepted) on every node, then
/// *promoted* (primary) on every node, and the old primary is *retired* only once every token
/// it sealed has expired. See the README's rotation runbook.
public enum KeyState: String, Sendable, Equatable, CaseIterable {
    /// Seals new tokens and opens tokens. A ring has exactly one.
    case primary
    /// Opens tokens but seals none: a key on its way in (not yet primary everywhere) or on its
    /// way out (no longer primary, its tokens still live).
    case accepted
    /// An ID the ring still knows and refuses: tokens naming it are invalid, and the ID cannot
    /// be given to a new key by mistake.
    case retired
}
