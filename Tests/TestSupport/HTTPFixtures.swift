import Foundation
import SessionToken
import SessionTokenRevocation

/// A key ring spec that tests change while a server runs (a `.custom` key ring source).
public final class MutableSpec: @unchecked Sendable {
    private let lock = NSLock()
    private var spec: String
    public init(_ spec: String) { self.spec = spec }
    public var value: String {
        get { lock.withLock { spec } }
        set { lock.withLock { spec = newValue } }
    }
}

/// A clock that tests move.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    public init(_ date: Date) { current = date }
    public var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}

/// What the framework integrations' tests share: two keys, a start time, the service's origin.
public enum Fixture {
    public static let key1 = "k1:" + String(repeating: "A", count: 42) + "E"
    public static let key2 = "k2:" + String(repeating: "B", count: 42) + "E"
    public static let start = Date(timeIntervalSince1970: 1_800_000_000)
    public static let origin = "https://app.example.com"
}

/// The `name=value` pairs of `Set-Cookie` lines that store a value (not the expiring ones), as
/// a browser sends them back.
public func cookieHeader(from setCookies: [String]) -> String {
    setCookies.filter { !$0.contains("Max-Age=0") }
        .map { String($0.prefix { $0 != ";" }) }
        .joined(separator: "; ")
}

/// Records a `RevocationService`'s events.
public final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [RevocationEvent] = []
    public init() {}
    public var all: [RevocationEvent] { lock.withLock { events } }
    public var record: @Sendable (RevocationEvent) -> Void { { event in self.lock.withLock { self.events.append(event) } } }
}
