import BenchSupport
import Benchmark
import CSodiumBench
import Foundation

/// What the library is measured against, on the identical bytes: libsodium's cipher alone and
/// Foundation's JSON decoder alone.
let benchmarks: @Sendable () -> Void = {
    precondition(sodium_init() >= 0)
    print("Baselines: \(Fixtures.summary)")
    let parts = Fixtures.parts
    let key = Fixtures.keyBytes(0)

    // The same ciphertext, tag, nonce and AAD that `open` decrypts, into a reused buffer.
    Benchmark("raw xchacha20poly1305 decrypt", configuration: Suite.perOp()) { benchmark in
        var plaintext = [UInt8](repeating: 0, count: parts.ciphertext.count)
        let ct = parts.ciphertext, tag = parts.tag, aad = parts.aad, nonce = parts.nonce
        plaintext.withUnsafeMutableBufferPointer { out in
            ct.withUnsafeBufferPointer { ct in
                tag.withUnsafeBufferPointer { tag in
                    aad.withUnsafeBufferPointer { aad in
                        nonce.withUnsafeBufferPointer { nonce in
                            key.withUnsafeBufferPointer { key in
                                benchmark.startMeasurement()
                                for _ in benchmark.scaledIterations {
                                    let status = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                                        out.baseAddress!, nil, ct.baseAddress!, UInt64(ct.count), tag.baseAddress!,
                                        aad.baseAddress!, UInt64(aad.count), nonce.baseAddress!, key.baseAddress!)
                                    precondition(status == 0)
                                }
                                benchmark.stopMeasurement()
                            }
                        }
                    }
                }
            }
        }
        blackHole(plaintext)
    }

    // What a seal cannot avoid: a fresh 24-byte nonce from the CSPRNG, then the encryption.
    Benchmark("raw xchacha20poly1305 encrypt+nonce", configuration: Suite.perOp()) { benchmark in
        var ciphertext = [UInt8](repeating: 0, count: parts.plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        var nonce = [UInt8](repeating: 0, count: 24)
        let pt = parts.plaintext, aad = parts.aad
        ciphertext.withUnsafeMutableBufferPointer { out in
            tag.withUnsafeMutableBufferPointer { tag in
                nonce.withUnsafeMutableBufferPointer { nonce in
                    pt.withUnsafeBufferPointer { pt in
                        aad.withUnsafeBufferPointer { aad in
                            key.withUnsafeBufferPointer { key in
                                benchmark.startMeasurement()
                                for _ in benchmark.scaledIterations {
                                    randombytes_buf(nonce.baseAddress!, 24)
                                    _ = crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                                        out.baseAddress!, tag.baseAddress!, nil, pt.baseAddress!, UInt64(pt.count),
                                        aad.baseAddress!, UInt64(aad.count), nil, nonce.baseAddress!, key.baseAddress!)
                                }
                                benchmark.stopMeasurement()
                            }
                        }
                    }
                }
            }
        }
        blackHole(ciphertext)
    }

    Benchmark("raw randombytes_buf 24", configuration: Suite.perOp()) { benchmark in
        var nonce = [UInt8](repeating: 0, count: 24)
        nonce.withUnsafeMutableBufferPointer { nonce in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                randombytes_buf(nonce.baseAddress!, 24)
            }
            benchmark.stopMeasurement()
        }
        blackHole(nonce)
    }

    // Foundation's decoder on the same claims JSON (from a Data made once).
    Benchmark("foundation JSONDecoder claims", configuration: Suite.perOp()) { benchmark in
        let data = Data(parts.plaintext)
        let decoder = JSONDecoder()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try decoder.decode(StandardClaims.self, from: data))
        }
    }
}
