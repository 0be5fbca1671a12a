import ArgumentParser
import Foundation
import SessionToken
import SessionTokenInternals
import SessionTokenRevocation

struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke every session of a user, or one session by its ID, in a revocation store.",
        discussion: """
            A user's revocation refuses every session that began (auth_time, else iat) before \
            --before (now by default), however often it was re-issued; a session's refuses every \
            token of the session with that sid (for a next-auth front end's token without sid, its \
            jti). Each is kept until every token it can match has expired: its time plus --ttl (the \
            tokens' lifetime, 30d by default), --leeway and --stale-after (5m by default, the \
            services' RevocationPolicy.staleAfter: a node that had not heard may re-issue until then).
            """)

    @Option(name: .long, help: RevocationStoreAddress.help)
    var store: String

    @Option(name: .long, parsing: .unconditional, help: "Revoke every session of this user ID (the sub claim).")
    var user: String?

    @Option(name: .long, parsing: .unconditional, help: "With --user: the cut-off, Unix seconds or ISO 8601. Default: now.")
    var before: String?

    @Option(
        name: [.customLong("session"), .customLong("jti")], parsing: .unconditional,
        help: "Revoke the session whose ID (the sid claim; for a token without sid, its jti) is this.")
    var session: String?

    @Option(name: .long, parsing: .unconditional, help: "The tokens' lifetime: 30d, 12h, 90m, 45s or seconds. Default: 30d.")
    var ttl: String?

    @Option(name: .long, parsing: .unconditional, help: "The sealers' clock skew leeway in seconds, 0 to 86400.")
    var leeway: Double = 0

    @Option(name: .long, parsing: .unconditional, help: "The services' staleness bound: 5m by default.")
    var staleAfter: String?

    @OptionGroup var clock: ClockOptions

    func validate() throws {
        guard (user == nil) != (session == nil) else { throw ValidationError("give exactly one of --user and --session") }
        if user?.isEmpty == true || session?.isEmpty == true {
            throw ValidationError("--user and --session must not be empty")
        }
        if before != nil, user == nil { throw ValidationError("--before goes with --user") }
        if let before { _ = try TimeOption.parse(before, option: "--before") }
        try Lifetime.validate(ttl, option: "--ttl")
        try Lifetime.validate(staleAfter, option: "--stale-after")
        try NumberOption.validate(leeway, option: "--leeway", range: 0...86_400)
    }

    func run() async throws {
        let now = clock.date
        let keptFor = (ttl.flatMap(Lifetime.init)?.seconds ?? SessionSealer.defaultLifetime) + leeway
            + (staleAfter.flatMap(Lifetime.init)?.seconds ?? 300)
        let revocation: Revocation
        if let user {
            let time = try before.map { try TimeOption.parse($0, option: "--before") } ?? now
            revocation = Revocation(target: .user(user), time: time, expiresAt: time.addingTimeInterval(keptFor))
        } else {
            revocation = Revocation(target: .session(session ?? ""), time: now, expiresAt: now.addingTimeInterval(keptFor))
        }
        try await RevocationStoreAddress.using(store) { try await $0.revoke(revocation) }
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
