import struct Foundation.Date

extension KeyRing {
    /// The ring that seals and opens tokens of `purpose`: every key replaced by its key for the
    /// purpose (``SessionKey/derived(for:)``), in the same order, with the same IDs, encryptions,
    /// retirement times and retired IDs. What a ``SessionSealer`` holds beside the ring it was
    /// given.
    package func derived(for purpose: TokenPurpose) throws(SessionTokenError) -> KeyRing {
        var pairs: [(key: SessionKey, stoppedSealingAt: Date?)] = []
        pairs.reserveCapacity(entries.count)
        for entry in entries {
            pairs.append((try entry.key.derived(for: purpose), entry.stoppedSealingAt))
        }
        return try KeyRing(entries: pairs, retiredIDs: retiredIDs)
    }
}
