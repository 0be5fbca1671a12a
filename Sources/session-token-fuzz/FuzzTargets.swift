import Foundation
import SessionCookies
import SessionToken
import SessionTokenInternals
import SessionTokenDeviceBound
import SessionTokenNextAuth

/// libFuzzer targets. Built normally, this executable replays files (a corpus or a crash) through
/// one target; built with `-sanitize=fuzzer,address -DFUZZING` (`make fuzz`), libFuzzer drives it.
/// `FUZZ_TARGET` names the target: open, nextauth, keyring, claims, cookie, redirect or dbsc.
enum FuzzTargets {
    /// Keys no committed token was sealed with (the corpus holds test-vector tokens under other
    /// keys with the same IDs), so nothing may ever open: the strongest invariant to check.
    static let sealer: SessionSealer? = {
        guard let key = try? SessionKey(id: "k1", bytes: (0..<32).map { UInt8(0x5A ^ $0) }),
            let other = try? SessionKey(id: "k2", bytes: (0..<32).map { UInt8(0xA5 ^ $0) }),
            let ring = try? KeyRing(primary: key, accepted: [other])
        else { return nil }
        return try? SessionSealer(keys: ring, leeway: 5, issuer: nil)
    }()

    static let nextAuthV4 = try? NextAuthCodec(secrets: ["fuzz-secret-one", "fuzz-secret-two"], format: .v4)
    static let nextAuthV5 = try? NextAuthCodec(secrets: ["fuzz-secret-one"], format: .v5(secure: true))
    static let cookie = try? NextAuthCookie(name: "authjs.session-token", chunkSize: 3936)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A device key as a refresh would hold it: a P-256 point of the forged-proof vectors, whose
    /// private key was never stored, so no proof in any corpus is signed by it.
    static let deviceKey = try? DeviceKey(
        jwk: .object([
            "kty": .string("EC"), "crv": .string("P-256"),
            "x": .string("gDMGGEktZxN_kjUHVbEscv54gOXr79KFCjzMmqNQEkk"),
            "y": .string("qTAtAlosHyyHOUnGh0Lv94GvVaV9N0-7wBZRGLXb-kI"),
        ]), algorithm: .es256)

    static let callbacks = try? CallbackURLValidator(origin: "https://app.example.com", allowedOrigins: ["https://docs.example.com"])
    static let target: String = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "open"

    /// One input through the selected target. A target traps only on a broken invariant; every
    /// rejection of bad input is a normal return.
    static func run(_ data: UnsafeRawBufferPointer) {
        switch target {
        case "open":
            let text = String(decoding: data, as: UTF8.self)
            do {
                _ = try sealer?.open(text, at: now)
                // Only tokens sealed with the fuzz keys can open; random bytes never should.
                trap("a fuzzed token opened")
            } catch {
                if error != .invalid { trap("unauthenticated input gave \(error)") }
            }
            _ = try? sealer?.refresh(text, at: now)
        case "dbsc":
            // A browser's proof and the DBSC header fields: every refusal is a typed rejection. A
            // registration proof carries its own key, so a genuine one verifies; under the fixed
            // key nothing fuzzed may (that would be a forged signature).
            let text = String(decoding: data, as: UTF8.self)
            _ = try? DeviceProof.registration(text, offered: [.es256, .rs256])
            guard let key = deviceKey else { trap("the fuzz device key does not parse") }
            if (try? DeviceProof.refresh(text, key: key)) != nil { trap("a fuzzed refresh proof verified") }
            _ = DeviceBoundHeaders.value(text)
            _ = DeviceBoundHeaders.skipped(text)
        case "nextauth":
            let text = String(decoding: data, as: UTF8.self)
            _ = try? nextAuthV4?.decode(text, at: now)
            _ = try? nextAuthV5?.decode(text, at: now)
            _ = cookie?.token(fromCookieHeader: text)
        case "keyring":
            let text = String(decoding: data, as: UTF8.self)
            if let ring = try? KeyRing(spec: text) {
                // Whatever parses must export to a spec that parses to the same export.
                let spec = ring.exportSpec()
                guard let again = try? KeyRing(spec: spec), again.exportSpec() == spec else {
                    trap("an accepted key ring spec does not round-trip")
                }
            }
        case "claims":
            let ours = try? JSONParser.parse(data, limits: JSONLimits(maxDepth: 64, maxMembers: 4096))
            _ = try? ClaimsReader.read(data, limits: JSONLimits())
            // The fast path may only decline, never decide: whatever it takes, the strict reader
            // takes too, with the same claims.
            if let fast = ClaimsReader.readFast(data, limits: JSONLimits()) {
                guard let strict = try? ClaimsReader.readStrict(data, limits: JSONLimits()), strict == fast else {
                    trap("the claims fast path disagrees with the strict reader")
                }
            }
            // The same for next-auth's shapes, picking next-auth's profile members.
            let limits = JSONLimits(maxDepth: 16, maxMembers: 1024)
            if let fast = ClaimsReader.readFastNextAuth(data, limits: limits) {
                guard let strict = try? ClaimsReader.read(data, limits: limits, picking: ["name", "email", "picture"]),
                    strict.claims == fast.claims, strict.picked == fast.picked
                else {
                    trap("the next-auth claims fast path disagrees with the strict reader")
                }
            }
            if let ours {
                let theirs = try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
                if theirs == nil { trap("the strict parser accepted what JSONSerialization refuses: \(ours)") }
            }
        case "cookie":
            let text = String(decoding: data, as: UTF8.self)
            // Joining a chunked cookie from the header reads it as parsing then joining does.
            let name = "next-auth.session-token"
            let direct = CookieChunks.join(header: text, name: name, limits: .default, maxLength: 16_384)
            let parsed = (try? RequestCookies(header: text)).map { CookieChunks.join($0, name: name, maxLength: 16_384) }
            if direct != parsed { trap("joining from the header disagrees with parsing then joining") }
            if let cookies = try? RequestCookies(header: text) {
                // Every name the parser yields can be looked up: its one value, or marked as sent
                // more than once (an O(1) lookup per pair; a scan of all values per pair made the
                // target quadratic in the number of cookies).
                for pair in cookies.pairs {
                    if cookies.isRepeated(pair.name) { continue }
                    guard let value = cookies[pair.name], ExactName.same(value, pair.value) else {
                        trap("a parsed cookie cannot be looked up")
                    }
                }
            }
            _ = ConsentRecord(cookieValue: text)
        case "redirect":
            let text = String(decoding: data, as: UTF8.self)
            guard let callbacks else { trap("no validator") }
            let result = callbacks.validate(text)
            // Whatever comes in, what goes out stays on the origin or the allow-list: one of them,
            // then the end or a path, query or fragment.
            let onAllowedOrigin = ["https://app.example.com", "https://docs.example.com"].contains { origin in
                guard result.hasPrefix(origin) else { return false }
                let rest = result.dropFirst(origin.count)
                return rest.isEmpty || rest.first == "/" || rest.first == "?" || rest.first == "#"
            }
            if !onAllowedOrigin { trap("off-origin redirect: \(result)") }
        default:
            trap("unknown FUZZ_TARGET \(target)")
        }
    }

    static func trap(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz invariant broken: \(message)\n".utf8))
        abort()
    }
}

#if FUZZING
import CFuzzDriver

/// The entry point libFuzzer's runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM gives every executable its own `main`, so libFuzzer runs as a library through
/// `LLVMFuzzerRunDriver` rather than through its own `main`.
@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
        exit(status)
    }
}
#else
/// Replays files through the target: `FUZZ_TARGET=open session-token-fuzz FILE|DIR ...`.
@main
enum FuzzReplay {
    static func main() {
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { FuzzTargets.run($0) }
                count += 1
            }
        }
        print("replayed \(count) inputs through \(FuzzTargets.target)")
    }
}
#endif
