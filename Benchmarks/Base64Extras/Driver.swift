// Benchmark-only (issue 29): the hand-written base64url codec against swift-extras-base64, in
// one process (see compare.sh).
//
//   base64-vs-extras check                   both codecs accept and refuse the same texts
//   base64-vs-extras cg OP SIDE N            N operations, for callgrind (compare.sh subtracts two N)
//   base64-vs-extras paired [SAMPLES]        paired wall-clock ratios, subject / base
//
// OP: open, seal, decode3 (the nonce, ciphertext and tag, what `open` decodes), decode4 (and
// the header), encode3 (what `seal` encodes). SIDE: hand, extras, scalar (the hand-written
// codec's table-driven path), bare (ExtrasBase64 called directly, without the drop-in's
// canonical checks and with room to spare); scalar and bare for decode and encode only.
import ExtrasSide
import Foundation
import HandSide

typealias Hand = HandSide.Side
typealias Extras = ExtrasSide.Side

/// The suite's fixture: key 0 is 32 bytes of 1, sealed at 2026-11-29T00:00:00Z, opened a minute later.
let keyBytes = [UInt8](repeating: 1, count: 32)
let sealedAt = Date(timeIntervalSince1970: 1_795_910_400)
let openedAt = sealedAt.addingTimeInterval(60)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

let token = try Hand.makeToken(keyBytes: keyBytes, at: sealedAt)
let hand = try Hand(keyBytes: keyBytes, token: token)
let extras = try Extras(keyBytes: keyBytes, token: token)
let extrasToken = try extras.seal(at: sealedAt)
guard hand.opens(token, at: openedAt), extras.opens(token, at: openedAt),
    hand.opens(extrasToken, at: openedAt), extras.opens(extrasToken, at: openedAt)
else { fail("the two builds do not open each other's tokens") }

/// Runs `op` on `side` `n` times; the result is printed so that nothing is optimised away.
func run(_ op: String, _ side: String, _ n: Int) -> Int {
    switch (op, side) {
    case ("open", "hand"): return hand.open(token, at: openedAt, times: n)
    case ("open", "extras"): return extras.open(token, at: openedAt, times: n)
    case ("seal", "hand"): return hand.seal(at: sealedAt, times: n)
    case ("seal", "extras"): return extras.seal(at: sealedAt, times: n)
    case ("decode3", "hand"): return hand.decode(segments: 3, times: n)
    case ("decode3", "extras"): return extras.decode(segments: 3, times: n)
    case ("decode3", "scalar"): return hand.decodeScalar(segments: 3, times: n)
    case ("decode4", "hand"): return hand.decode(segments: 4, times: n)
    case ("decode4", "extras"): return extras.decode(segments: 4, times: n)
    case ("decode4", "scalar"): return hand.decodeScalar(segments: 4, times: n)
    case ("decode3", "bare"): return extras.decodeBare(segments: 3, times: n)
    case ("decode4", "bare"): return extras.decodeBare(segments: 4, times: n)
    case ("encode3", "bare"): return extras.encodeBare(times: n)
    case ("encode3", "hand"): return hand.encode(times: n)
    case ("encode3", "extras"): return extras.encode(times: n)
    case ("encode3", "scalar"): return hand.encodeScalar(times: n)
    default: fail("unknown operation \(op) \(side)")
    }
}

/// Both codecs on the same texts: every length of random bytes to 300 (encoding and decoding),
/// and texts each must refuse (a bad length, a character outside the alphabet, padding, the
/// standard alphabet, non-zero unused bits).
func check() {
    var rng = SystemRandomNumberGenerator()
    var cases = 0
    func same(_ text: [UInt8]) {
        cases += 1
        let h = Hand.decodeOne(text), e = Extras.decodeOne(text)
        guard h == e else {
            fail("decode differs on \(String(decoding: text, as: UTF8.self)): hand \(h.map { "\($0)" } ?? "refused"), extras \(e.map { "\($0)" } ?? "refused")")
        }
    }
    for length in 0...300 {
        for _ in 0..<20 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = Hand.encodeOne(bytes)
            guard Extras.encodeOne(bytes) == text else { fail("encode differs at length \(length)") }
            guard Hand.decodeOne(text) == bytes else { fail("hand does not round-trip at length \(length)") }
            same(text)
            guard !text.isEmpty else { continue }
            // Each other byte in each position of the last group, and one in the middle.
            for position in Set([text.count - 1, max(0, text.count - 2), max(0, text.count - 3), text.count / 2]) {
                for replacement in Array("=+/ .*A_-\u{0}".utf8) + [0x80, 0xFF] {
                    var bad = text
                    bad[position] = replacement
                    same(bad)
                }
            }
            // The last character's unused bits, each value.
            if text.count % 4 != 0 {
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
                for c in alphabet {
                    var other = text
                    other[text.count - 1] = c
                    same(other)
                }
            }
            same(text + Array("=".utf8))
            same(text + Array("==".utf8))
            same(text + Array("A".utf8))
        }
    }
    print("check: \(cases) texts, the two codecs agree on each (bytes or refusal); encodings identical")
}

/// One paired sample: hand, extras, extras, hand, `batch` operations each; returns
/// (extras/hand ratio, hand ns/op, extras ns/op).
func sample(_ op: String, base: String, subject: String, batch: Int) -> (Double, Double, Double) {
    func time(_ side: String) -> Double {
        let start = ContinuousClock.now
        let result = run(op, side, batch)
        let d = ContinuousClock.now - start
        if result == Int.min { print(result) }
        return Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
    }
    let b1 = time(base), s1 = time(subject), s2 = time(subject), b2 = time(base)
    return ((s1 + s2) / (b1 + b2), (b1 + b2) / Double(2 * batch), (s1 + s2) / Double(2 * batch))
}

func paired(samples: Int) {
    print("token \(token.utf8.count) B, segments (header, key, nonce, ciphertext, tag) \(token.split(separator: ".", omittingEmptySubsequences: false).map { $0.utf8.count }), " +
        "\(samples) samples, each base, subject, subject, base; p50 of per-sample ratios and of ns/op")
    print("pair | subject / base (p50) | base ns/op | subject ns/op")
    let pairs: [(String, String, String, Int)] = [
        ("decode3", "hand", "extras", 2000), ("decode4", "hand", "extras", 2000), ("decode3", "scalar", "extras", 2000),
        ("decode3", "hand", "bare", 2000),
        ("encode3", "hand", "extras", 2000), ("encode3", "scalar", "extras", 2000),
        ("encode3", "hand", "bare", 2000),
        ("open", "hand", "extras", 200), ("seal", "hand", "extras", 200),
    ]
    for (op, base, subject, batch) in pairs {
        for _ in 0..<20 { _ = sample(op, base: base, subject: subject, batch: batch) }  // warm-up
        let runs = (0..<samples).map { _ in sample(op, base: base, subject: subject, batch: batch) }
        func p50(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print(String(
            format: "%@ %@ / %@ | %.3f | %.1f | %.1f", op, subject, base,
            p50(runs.map(\.0)), p50(runs.map(\.1)), p50(runs.map(\.2))))
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "check":
    check()
case "cg":
    let rest = Array(arguments.dropFirst())
    guard rest.count == 3, let n = Int(rest[2]) else { fail("cg OP SIDE N") }
    print(run(rest[0], rest[1], n))
case "paired":
    paired(samples: arguments.dropFirst().first.flatMap { Int($0) } ?? 500)
default:
    fail("usage: base64-vs-extras check | cg OP SIDE N | paired [SAMPLES]")
}
