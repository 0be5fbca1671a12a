/// Fixed-size secret storage: allocated once, never copied into Swift arrays, zeroed with
/// `sodium_memzero` when the last reference goes away.
///
/// Immutable after initialisation, so sharing it across tasks is safe.
package final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// The start of the bytes, for the opening path: reading it from a key the caller holds
    /// costs no reference-count traffic, so threads opening with one key write nothing shared.
    /// Valid while this object lives.
    package let address: UnsafeRawPointer

    /// Creates storage of `count` bytes and lets `initialize` fill it. If `initialize` throws,
    /// the partial bytes are zeroed before the error propagates.
    package init(count: Int, initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let base = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
        let storage = UnsafeMutableRawBufferPointer(start: base, count: count)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try initialize(storage)
        } catch {
            Sodium.zero(storage)
            storage.deallocate()
            throw error
        }
        self.storage = storage
        self.address = UnsafeRawPointer(base)
    }

    deinit {
        Sodium.zero(storage)
        storage.deallocate()
    }

    package var count: Int { storage.count }

    @inline(__always)
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// Constant-time comparison (`sodium_memcmp`).
    package func constantTimeEquals(_ other: SecretBytes) -> Bool {
        Sodium.constantTimeEqual(UnsafeRawBufferPointer(storage), UnsafeRawBufferPointer(other.storage))
    }
}
