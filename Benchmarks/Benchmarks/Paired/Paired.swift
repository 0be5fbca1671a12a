import BenchSupport
import Benchmark
import CSodiumBench
import SessionToken
import SessionTokenHTTP
import SessionTokenMetrics
import SessionTokenRevocation

// The wall-clock ratio targets, each sample timing the library and its baseline back to back
// (see `Pairing` in BenchSupport); the gate reads the p50 of the per-sample ratios.

/// Operations per timed block: long enough that reading the clock is noise (about 0.2 ms),
/// short enough that the four blocks of a sample see the same machine.
let block = 200

let ratioMetric = Pairing.ratioMetric()

let benchmarks: @Sendable () -> Void = {
    precondition(sodium_init() >= 0)
    print("Paired: \(Fixtures.summary)")
    let parts = Fixtures.parts
    let key = Fixtures.keyBytes(0)
    let now = Fixtures.openedAt

    // The raw cipher on the identical bytes, into a reused buffer, as in Baselines.
    let decrypt = RawDecrypt(parts: parts, key: key)
    let encrypt = RawEncrypt(parts: parts, key: key)

    @Sendable func opens(_ sealer: SessionSealer, _ token: String, _ count: Int) {
        for _ in 0..<count { blackHole(try? sealer.open(token, at: now)) }
    }

    Benchmark("paired open 1-key ring / raw decrypt", configuration: Pairing.configuration()) { benchmark in
        let sealer = Fixtures.sealer1, token = Fixtures.token
        precondition((try? sealer.open(token, at: now)) != nil)
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { decrypt.run(block) }, subject: { opens(sealer, token, block) }))
        }
    }

    Benchmark("paired open 8-key ring / raw decrypt", configuration: Pairing.configuration()) { benchmark in
        let sealer = Fixtures.sealer8, token = Fixtures.token8
        precondition((try? sealer.open(token, at: now)) != nil)
        let decrypt8 = RawDecrypt(parts: Fixtures.parts8, key: Fixtures.keyBytes(7))
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { decrypt8.run(block) }, subject: { opens(sealer, token, block) }))
        }
    }

    Benchmark("paired seal / raw encrypt+nonce", configuration: Pairing.configuration()) { benchmark in
        let sealer = Fixtures.sealer1, subject = Fixtures.subject, sealedAt = Fixtures.sealedAt
        for _ in benchmark.scaledIterations {
            benchmark.measurement(
                ratioMetric,
                Pairing.ratio(
                    base: { encrypt.run(block) },
                    subject: { for _ in 0..<block { blackHole(try? sealer.seal(subject: subject, at: sealedAt).token) } }))
        }
    }

    /// A browser's `Cookie` header for `token`: the session cookie beside the policy's CSRF and
    /// consent cookies.
    @Sendable func browserHeader(_ configuration: SessionConfiguration, token: String) -> String {
        "\(configuration.policy.session.name)=\(token); \(configuration.policy.csrf.name)="
            + String(repeating: "c", count: 64) + "; \(configuration.policy.consent.name)=v1.essential"
    }
    /// What a framework middleware does per request: open the session from the header, read the
    /// subject, ask for the cookies to set.
    @Sendable func requests(_ configuration: SessionConfiguration, _ header: String, _ count: Int) {
        for _ in 0..<count {
            let session = configuration.open(cookieHeader: header, at: now)
            blackHole(session.subject)
            blackHole(session.responseSetCookies())
        }
    }
    let benchSpec = "bench-k0:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"

    // What a framework middleware does per request (SessionTokenHTTP), against the open inside
    // it: parse a browser's `Cookie` header (the session cookie beside the policy's CSRF and
    // consent cookies), find and open the session cookie, keep the result for the handler, read
    // the subject, and find no cookie to set. `make bench-http` measures the same over HTTP,
    // where the run-to-run noise is larger than the difference.
    Benchmark("paired request session / open", configuration: Pairing.configuration()) { benchmark in
        let sealer = Fixtures.sealer1, token = Fixtures.token
        let configuration = SessionConfiguration(keys: try KeyRingProvider(source: .custom { benchSpec }))
        let header = browserHeader(configuration, token: token)
        precondition(configuration.open(cookieHeader: header, at: now).subject == Fixtures.subject)
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { opens(sealer, token, block) }, subject: { requests(configuration, header, block) }))
        }
    }

    // A request whose session carries 3,500 bytes of token (a custom claim of about 2.5 KB, as
    // make bench-http's hb-session-3500 row), against the plain session's request: what the
    // bytes cost in process, where bench-http's spread cannot hide it.
    Benchmark("paired request session 3500 B / request session", configuration: Pairing.configuration()) { benchmark in
        let keys = try KeyRingProvider(source: .custom { benchSpec })
        let configuration = SessionConfiguration(keys: keys)
        let large = try keys.sealer.seal(
            subject: Fixtures.subject, custom: ["pad": String(repeating: "p", count: 2_400)], at: Fixtures.sealedAt).token
        precondition(large.utf8.count > 3_400 && large.utf8.count < 3_600, "\(large.utf8.count)")
        let small = browserHeader(configuration, token: Fixtures.token), padded = browserHeader(configuration, token: large)
        precondition(configuration.open(cookieHeader: padded, at: now).subject == Fixtures.subject)
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { requests(configuration, small, block) }, subject: { requests(configuration, padded, block) }))
        }
    }

    // A request whose session is due for re-issue (updateAge 0: every request), which seals a
    // new token and writes its Set-Cookie lines, against the plain session's request.
    Benchmark("paired request session re-issued / request session", configuration: Pairing.configuration()) { benchmark in
        let plain = SessionConfiguration(keys: try KeyRingProvider(source: .custom { benchSpec }))
        let due = SessionConfiguration(keys: try KeyRingProvider(source: .custom { benchSpec }) { ring throws(SessionTokenError) in
            try SessionSealer(keys: ring, updateAge: 0)
        })
        let header = browserHeader(plain, token: Fixtures.token)
        precondition(due.open(cookieHeader: header, at: now).responseSetCookies().count == 1)
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { requests(plain, header, block) }, subject: { requests(due, header, block) }))
        }
    }

    // The same request session with metrics on (SessionTokenMetrics, swift-metrics' default
    // no-op backend: what a service gets before it bootstraps one) against metrics off.
    Benchmark("paired request session with metrics / without", configuration: Pairing.configuration()) { benchmark in
        let keys = try KeyRingProvider(source: .custom { benchSpec })
        let plain = SessionConfiguration(keys: keys)
        let counted = SessionConfiguration(keys: keys, onEvent: SessionMetrics().record)
        let header = browserHeader(plain, token: Fixtures.token)
        precondition(counted.open(cookieHeader: header, at: now).subject == Fixtures.subject)
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { requests(plain, header, block) }, subject: { requests(counted, header, block) }))
        }
    }

    // The revocation check of every open, against a set of 100,000 entries (50,000 users signed
    // out everywhere, 50,000 sessions signed out), none of them the token's: two lookups by
    // bytes after the open.
    // Built before the benchmark, so that its time budget goes to samples.
    let revocations = RevocationSet(
        (0..<50_000).flatMap { i in
            [Revocation.user("user-\(i)", before: now, retainedFor: Fixtures.sealer1.maxTokenAge),
                .session("jti-\(i)-" + String(repeating: "x", count: 14), at: now, retainedFor: Fixtures.sealer1.maxTokenAge)]
        }, at: now)
    Benchmark("paired open checking 100k revocations / open", configuration: Pairing.configuration()) { benchmark in
        let sealer = Fixtures.sealer1, token = Fixtures.token
        precondition(revocations.count == 100_000 && (try? sealer.open(token, at: now, revocations: revocations)) != nil)
        @Sendable func checkedOpens(_ count: Int) {
            for _ in 0..<count { blackHole(try? sealer.open(token, at: now, revocations: revocations)) }
        }
        for _ in benchmark.scaledIterations {
            benchmark.measurement(ratioMetric, Pairing.ratio(base: { opens(sealer, token, block) }, subject: { checkedOpens(block) }))
        }
    }

    // Rejections against an open of the valid token, in pairs.
    for (name, rejected) in [("unknown kid", Fixtures.unknownKID), ("bad tag", Fixtures.badTag)] {
        Benchmark("paired reject \(name) / open", configuration: Pairing.configuration()) { benchmark in
            let sealer = Fixtures.sealer1, token = Fixtures.token
            precondition((try? sealer.open(rejected, at: now)) == nil)
            for _ in benchmark.scaledIterations {
                benchmark.measurement(
                    ratioMetric,
                    Pairing.ratio(base: { opens(sealer, token, block) }, subject: { opens(sealer, rejected, block) }))
            }
        }
    }

    // Two threads against one: one thread's time for a batch over two threads' time for the
    // same batch split in two (the throughput gained by the second thread, x1000), both on one
    // shared sealer and token; the two threads are timed from when both run (`TwoThreads`), so
    // that the hypervisor's wake-up of the second vCPU is not counted. The raw decrypt, which
    // shares nothing, is measured in the same samples: the runner's second vCPU gives less than
    // a core for seconds at a time, and two benchmarks run one after the other could fall one
    // in such a phase and one out of it (on the Intel runner, `open` 1.60x and the raw decrypt
    // 1.83x in one run that way; interleaved, `open`'s scaling is 0.98-1.00 of the raw
    // decrypt's). Each sample runs open, raw, raw, open (each side two threads, one thread, one
    // thread, two threads). The longer samples get their own limits: about 12 s in the short
    // run, so that a phase of a few seconds cannot take the median.
    let batch = 4096
    let openScaling = BenchmarkMetric.custom("open scaling x1000", polarity: .prefersLarger, useScalingFactor: false)
    let rawScaling = BenchmarkMetric.custom("raw decrypt scaling x1000", polarity: .prefersLarger, useScalingFactor: false)
    // Per sample, open's scaling over the raw decrypt's: below 1 by what the library loses
    // (printed, not gated: the target is open's own scaling).
    let relativeScaling = BenchmarkMetric.custom("open over raw scaling x1000", polarity: .prefersLarger, useScalingFactor: false)
    let scalingConfiguration = Benchmark.Configuration(
        metrics: [openScaling, rawScaling, relativeScaling], warmupIterations: Suite.isShort ? 5 : 20, scalingFactor: .one,
        maxDuration: Suite.isShort ? .seconds(12) : .seconds(30), maxIterations: Suite.isShort ? 600 : 1500)
    Benchmark("paired 2 threads / 1 thread throughput", configuration: scalingConfiguration) { benchmark in
        let sealer = Fixtures.sealer1, token = Fixtures.token
        // Each thread its own output buffer for the raw decrypt, made before the clock starts.
        let decrypts = [decrypt.copy(), decrypt.copy()]
        let open = (
            two: { TwoThreads.elapsed { _ in opens(sealer, token, batch / 2) } },
            one: { Pairing.elapsed { opens(sealer, token, batch) } })
        let raw = (
            two: { TwoThreads.elapsed { decrypts[$0].run(batch / 2) } },
            one: { Pairing.elapsed { decrypt.run(batch) } })
        for _ in benchmark.scaledIterations {
            let (open2a, open1a) = (open.two(), open.one())
            let (raw2a, raw1a) = (raw.two(), raw.one())
            let (raw1b, raw2b) = (raw.one(), raw.two())
            let (open1b, open2b) = (open.one(), open.two())
            let openRatio = Pairing.scaled(open1a + open1b, over: open2a + open2b)
            let rawRatio = Pairing.scaled(raw1a + raw1b, over: raw2a + raw2b)
            benchmark.measurement(openScaling, openRatio)
            benchmark.measurement(rawScaling, rawRatio)
            benchmark.measurement(relativeScaling, Pairing.scaled(Int64(openRatio), over: Int64(rawRatio)))
        }
    }
}

/// libsodium's decrypt of fixed bytes into its own output buffer.
///
/// The buffer is a page of its own: two instances' buffers from the heap can share a cache line
/// (or the pair of lines Intel's prefetcher fetches together), and two threads writing the
/// plaintext there would bounce it between cores. The raw decrypt is the baseline the
/// two-thread figure is read against, so it must share nothing either: with heap arrays its
/// scaling varied between processes (1.76-1.77x in two runs of eight, 1.93-1.96x in the others)
/// while `open`'s, on stack scratch, stayed at 1.90-1.95x.
final class RawDecrypt: @unchecked Sendable {
    let parts: Fixtures.Parts
    let key: [UInt8]
    let out: UnsafeMutableRawBufferPointer

    init(parts: Fixtures.Parts, key: [UInt8]) {
        precondition(parts.ciphertext.count <= 4096)
        self.parts = parts
        self.key = key
        self.out = .allocate(byteCount: 4096, alignment: 4096)
    }

    deinit { out.deallocate() }

    /// Another instance on the same bytes (threads must not share the output buffer).
    func copy() -> RawDecrypt { RawDecrypt(parts: parts, key: key) }

    func run(_ count: Int) {
        let ct = parts.ciphertext, tag = parts.tag, aad = parts.aad, nonce = parts.nonce
        let out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for _ in 0..<count {
            let status = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                out, nil, ct, UInt64(ct.count), tag, aad, UInt64(aad.count), nonce, key)
            precondition(status == 0)
        }
        blackHole(out.pointee)
    }
}

/// A fresh 24-byte nonce from libsodium's CSPRNG, then the encryption: what a seal cannot avoid.
final class RawEncrypt: @unchecked Sendable {
    let parts: Fixtures.Parts
    let key: [UInt8]
    var out: [UInt8]
    var tag = [UInt8](repeating: 0, count: 16)
    var nonce = [UInt8](repeating: 0, count: 24)

    init(parts: Fixtures.Parts, key: [UInt8]) {
        self.parts = parts
        self.key = key
        self.out = [UInt8](repeating: 0, count: parts.plaintext.count)
    }

    func run(_ count: Int) {
        let pt = parts.plaintext, aad = parts.aad
        for _ in 0..<count {
            randombytes_buf(&nonce, 24)
            _ = crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                &out, &tag, nil, pt, UInt64(pt.count), aad, UInt64(aad.count), nil, nonce, key)
        }
        blackHole(out)
    }
}
