import ArgumentParser
import Foundation
import SessionToken

struct Rotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the next key ring spec of a rotation.",
        discussion: """
            With no step option: a new key becomes the primary and the old primary stays accepted \
            (one node, or a fleet that reloads at once). On a fleet, follow the runbook instead:

              1. rotate --add-only       the new key joins as accepted; deploy everywhere
              2. rotate --promote KID    it becomes primary; deploy everywhere
              3. rotate --retire OLD     once the longest token life has passed; deploy everywhere
            """)

    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var clock: ClockOptions

    @Option(name: .long, help: "ID of the new key. Default: derived from the key, revealing nothing.")
    var id: String?

    @Option(name: .long, help: "Content encryption of the new key: XC20P, the default, or A256GCM, which needs AES-NI.")
    var enc: EncryptionOption?

    @Flag(name: .customLong("add-only"), help: "Add the new key as accepted without promoting it.")
    var addOnly = false

    @Option(name: .long, help: "Promote this accepted key instead of making a new one.")
    var promote: String?

    @Option(name: .long, help: "Retire this key (its tokens are refused from then on).")
    var retire: String?

    @Option(name: .customLong("max-token-age"), parsing: .unconditional, help: "The longest a token lives, lifetime plus leeway. Default: 30d.")
    var maxTokenAge: String?

    @Flag(name: .long, help: "Retire even if the key may still have live tokens.")
    var force = false

    func validate() throws {
        let steps = [addOnly, promote != nil, retire != nil].filter { $0 }.count
        guard steps <= 1 else { throw ValidationError("choose at most one of --add-only, --promote, --retire") }
        if id != nil, promote != nil || retire != nil { throw ValidationError("--id names a new key: not with --promote or --retire") }
        if enc != nil, promote != nil || retire != nil { throw ValidationError("--enc is for a new key: not with --promote or --retire") }
        if force, retire == nil { throw ValidationError("--force goes with --retire") }
        if maxTokenAge != nil, retire == nil { throw ValidationError("--max-token-age goes with --retire") }
        try Lifetime.validate(maxTokenAge, option: "--max-token-age")
    }

    func run() throws {
        let ring = try keyOptions.keyRing()
        let next: KeyRing
        if let retire {
            try Self.check(retire, in: ring, for: "retire")
            next = try ring.retiring(retire, at: clock.date, maxTokenAge: maxTokenAge.flatMap(Lifetime.init)?.seconds ?? SessionSealer.defaultLifetime,
                                     force: force)
        } else if let promote {
            try Self.check(promote, in: ring, for: "promote")
            next = try ring.promoting(promote, at: clock.date)
        } else {
            // The ring's own refusal counts positions ("keys 1 and 3 have the same ID"); the user
            // typed this ID, and the ring holds it, so it is named.
            if let id, let state = ring.state(of: id) {
                throw SessionTokenError.configuration("--id \(id) is already in the ring (\(Self.describe(state))): choose another ID")
            }
            let key = try SessionKey.generate(id: id, encryption: enc?.encryption ?? .xchacha20Poly1305)
            let added = try ring.adding(key)
            next = addOnly ? added : try added.promoting(key.id, at: clock.date)
        }
        Console.output(next.exportSpec())
    }

    /// A key's state as the messages say it.
    private static func describe(_ state: KeyState) -> String {
        switch state {
        case .primary: "the primary key"
        case .accepted: "an accepted key"
        case .retired: "a retired ID"
        }
    }

    /// The step's key must be an accepted key. Errors name the ID only once the ring is known to
    /// hold it (a key ID is public: every token carries one); an ID the ring does not know may be
    /// a key pasted in the wrong place, so the message lists the IDs that would do instead.
    private static func check(_ id: String, in ring: KeyRing, for step: String) throws {
        let candidates = ring.keys.dropFirst().map(\.id)
        let choices = candidates.isEmpty
            ? "the ring has no accepted key besides the primary \(ring.primary.id)"
            : "its accepted keys: \(candidates.joined(separator: ", "))"
        switch ring.state(of: id) {
        case nil:
            throw SessionTokenError.configuration("cannot \(step): the ring holds no key with that ID; \(choices)")
        case .retired?:
            throw SessionTokenError.configuration("cannot \(step) key \(id): it is already retired; \(choices)")
        case .primary? where step == "retire":
            throw SessionTokenError.configuration("cannot retire key \(id): it is the primary; promote another key first (\(choices))")
        case .primary?, .accepted?:
            return
        }
    }
}
