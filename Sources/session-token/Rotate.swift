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
            next = try ring.retiring(retire, at: clock.date, maxTokenAge: maxTokenAge.flatMap(Lifetime.init)?.seconds ?? SessionSealer.defaultLifetime,
                                     force: force)
        } else if let promote {
            next = try ring.promoting(promote, at: clock.date)
        } else {
            let key = try SessionKey.generate(id: id, encryption: enc?.encryption ?? .xchacha20Poly1305)
            let added = try ring.adding(key)
            next = addOnly ? added : try added.promoting(key.id, at: clock.date)
        }
        Console.output(next.exportSpec())
    }
}
