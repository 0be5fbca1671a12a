import Foundation
import SessionTokenTestSupport
import XCTest

/// Replays every committed fuzz input (seeds and the inputs of any crash ever found) through its
/// libFuzzer target, built without the fuzzer: a crash found once stays a regression test.
final class FuzzCorpusTests: XCTestCase {
    func testEveryCorpusReplaysCleanly() throws {
        let replayer = CLI.executable.deletingLastPathComponent().appendingPathComponent("session-token-fuzz")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: replayer.path), "build session-token-fuzz first")
        let corpus = packageRoot.appendingPathComponent("Fuzz/corpus")
        let targets = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        XCTAssertEqual(targets, ["claims", "cookie", "dbsc", "keyring", "nextauth", "open", "redirect"])
        for target in targets {
            let process = Process()
            process.executableURL = replayer
            process.arguments = [corpus.appendingPathComponent(target).path]
            var environment = ProcessInfo.processInfo.environment
            environment["FUZZ_TARGET"] = target
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(target): \(text)")
            XCTAssertTrue(text.contains("replayed") && !text.contains("replayed 0 "), "\(target): \(text)")
        }
    }
}
