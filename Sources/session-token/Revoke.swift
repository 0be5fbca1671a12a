import ArgumentParser
import Foundation
import SessionToken

struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke every session of a user, or one session by its jti, in a revocation store.",
        discussion: """
            A user's revocation refuses tokens issued before --before (now by default); a session's \
            refuses the token with that jti. Each is kept until every token it can match has expired: \
            its time plus --ttl (the tokens' lifetime, 30d by default) and --leeway.
            """)

    @Option(name: .long, help: RevocationStoreAddress.help)
    var store: String

    @Option(name: .long, parsing: .unconditional, help: "Revoke every session of this user ID (the sub claim).")
    var user: String?

    @Option(name: .long, parsing: .unconditional, help: "With --user: the cut-off, Unix seconds or ISO 8601. Default: now.")
    var before: String?

    @Option(name: .long, parsing: .unconditional, help: "Revoke the session whose token ID (the jti claim) is this.")
    var jti: String?

    @Option(name: .long, parsing: .unconditional, help: "The tokens' lifetime: 30d, 12h, 90m, 45s or seconds. Default: 30d.")
    var ttl: String?

    @Option(name: .long, parsing: .unconditional, help: "The sealers' clock skew leeway in seconds, 0 to 86400.")
    var leeway: Double = 0

    @OptionGroup var clock: ClockOptions

    func validate() throws {
        guard (user == nil) != (jti == nil) else { throw ValidationError("give exactly one of --user and --jti") }
        if user?.isEmpty == true || jti?.isEmpty == true { throw ValidationError("--user and --jti must not be empty") }
        if before != nil, user == nil { throw ValidationError("--before goes with --user") }
        if let before { _ = try TimeOption.parse(before, option: "--before") }
        try Lifetime.validate(ttl, option: "--ttl")
        try NumberOption.validate(leeway, option: "--leeway", range: 0...86_400)
    }

    func run() throws {
        let now = clock.date
        let keptFor = (ttl.flatMap(Lifetime.init)?.seconds ?? SessionSealer.defaultLifetime) + leeway
        let revocation: Revocation
        if let user {
            let time = try before.map { try TimeOption.parse($0, option: "--before") } ?? now
            revocation = Revocation(target: .user(user), time: time, expiresAt: time.addingTimeInterval(keptFor))
        } else {
            revocation = Revocation(target: .session(jti ?? ""), time: now, expiresAt: now.addingTimeInterval(keptFor))
        }
        let address = store
        try Blocking.run {
            let store = try await RevocationStoreAddress.open(address)
            try await store.revoke(revocation)
        }
        Console.output(RevocationLine.json(revocation))
    }
}

/// One revocation as a JSON line: what `revoke` prints and `revocations` lists.
enum RevocationLine {
    static func json(_ revocation: Revocation) -> String {
        let object: JSONValue = .object([
            "kind": .string(revocation.kind),
            "value": .string(revocation.value),
            "time": .string(TimeOption.format(revocation.time)),
            "expires": .string(TimeOption.format(revocation.expiresAt)),
        ])
        return JSONText.string(object)
    }
}
