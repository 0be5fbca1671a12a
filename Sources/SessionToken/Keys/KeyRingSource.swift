#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import SessionTokenInternals

/// Where a key ring's text form (``KeyRing/init(spec:)``) comes from, and the one loader that
/// reads it: ``KeyRingProvider`` loads and reloads through it, and so does the command-line tool.
///
/// ```swift
/// let keys = try KeyRingSource.environment("SESSION_TOKEN_KEYS").load()
/// ```
public enum KeyRingSource: Sendable {
    /// An environment variable holding the spec, such as `SESSION_TOKEN_KEYS`.
    case environment(String)
    /// A file holding the spec (at most ``maxFileBytes``; LF or CRLF line endings).
    case file(String)
    /// Any other loader; it returns the spec text.
    case custom(@Sendable () throws -> String)

    /// The largest key file read: 64 KiB, far more than a ring of ``KeyRing/maxKeys`` entries.
    public static let maxFileBytes = 65_536

    /// Reads the spec and parses it.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` in one line: the variable is not set or
    ///   is empty (named), the file cannot be read (with the system's reason), the custom loader
    ///   failed, or the spec does not parse (entries named by position). No message quotes the
    ///   spec or any part of it.
    public func load() throws(SessionTokenError) -> KeyRing {
        try KeyRing(spec: readSpec())
    }

    /// True for text of spaces, tabs and line ends only: a spec that is set but says nothing.
    static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The spec text, unparsed.
    func readSpec() throws(SessionTokenError) -> String {
        switch self {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw .configuration("environment variable \(name) is not set")
            }
            guard !Self.isBlank(value) else {
                throw .configuration("environment variable \(name) is empty")
            }
            return value
        case .file(let path):
            return try Self.readFile(path)
        case .custom(let loader):
            do {
                return try loader()
            } catch let error as SessionTokenError {
                throw error
            } catch {
                throw .configuration("the key loader failed")
            }
        }
    }

    /// The file's text, or an error with the system's reason (`No such file or directory`,
    /// `Is a directory`, `Permission denied`) and the path, which names no secret.
    private static func readFile(_ path: String) throws(SessionTokenError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .configuration("cannot read key file \(path): \(reason(errno))") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: maxFileBytes + 1)
        defer { SecretMemory.wipe(&bytes) }
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + total, buffer.count - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .configuration("cannot read key file \(path): \(reason(errno))")
            }
            if n == 0 { break }
            total += n
        }
        guard total <= maxFileBytes else {
            throw .configuration("key file \(path) is larger than \(maxFileBytes) bytes")
        }
        guard bytes[..<total].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            throw .configuration("key file \(path) is empty")
        }
        return String(decoding: bytes[..<total], as: UTF8.self)
    }

    private static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
