/// Fixed-size secret storage: allocated once, never copied into Swift arrays, zeroed with
/// `sodium_memzero` when the last reference goes away.
///
/// Immutable after initialisation, so sharing it across tasks is safe.
package final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    /// Creates storage of `count` bytes and lets `initialize` fill it. If `initialize` throws,
    /// the partial bytes are zeroed before the error propagates.
    init(count: Int, initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try initialize(storage)
        } catch {
            Sodium.zero(storage)
            storage.deallocate()
            throw error
        }
        self.storage = storage
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
    func constantTimeEquals(_ other: SecretBytes) -> Bool {
        Sodium.constantTimeEqual(UnsafeRawBufferPointer(storage), UnsafeRawBufferPointer(other.storage))
    }
}
