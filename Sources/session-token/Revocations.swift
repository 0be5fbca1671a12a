import ArgumentParser
import Foundation
import SessionToken

struct Revocations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the revocations in force in a store (one JSON object a line), or purge the expired ones.",
        discussion: "Rows the store cannot read are skipped and counted on stderr.")

    @Option(name: .long, help: RevocationStoreAddress.help)
    var store: String

    @Flag(name: .long, help: "Delete the expired revocations and print how many.")
    var purge = false

    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let now = clock.date
        if purge {
            let purged = try await RevocationStoreAddress.using(store) { try await $0.purge(at: now) }
            Console.output("purged \(purged)")
            return
        }
        let stored = try await RevocationStoreAddress.using(store) { try await $0.revocations(at: now) }
        for revocation in stored.revocations.sorted(by: { ($0.time, $0.value) < ($1.time, $1.value) }) {
            Console.output(RevocationLine.json(revocation))
        }
        if stored.unreadable > 0 { Console.error("skipped \(stored.unreadable) unreadable rows") }
    }
}
