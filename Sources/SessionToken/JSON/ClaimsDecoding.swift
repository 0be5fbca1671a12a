import Foundation

/// Custom claims read through `Codable` from authenticated plaintext in scratch memory, for
/// native opening and next-auth decoding alike.
package enum ClaimsDecoding {
    /// `Custom` decoded from `payload` (NumericDates as seconds since 1970), or nil when it
    /// does not decode. The decoder reads the scratch in place: a copy would hold the plaintext
    /// where the scratch's wipe cannot reach it.
    package static func decode<Custom: Decodable>(_ type: Custom.Type, from payload: UnsafeRawBufferPointer) -> Custom? {
        guard let base = payload.baseAddress else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: payload.count, deallocator: .none)
        return try? decoder.decode(type, from: data)
    }
}
