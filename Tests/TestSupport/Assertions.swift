import SessionCookies
import SessionToken
import XCTest

/// Asserts that `body` throws exactly `expected`: not another error, not another case, not
/// success. Every test target's error assertions go through this one function.
public func XCTAssertThrowsExactly<Failure: Error & Equatable, T>(
    _ expected: Failure, _ body: () throws -> T, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        _ = try body()
        XCTFail("expected \(expected), but it succeeded. \(message)", file: file, line: line)
    } catch let error as Failure {
        XCTAssertEqual(error, expected, message, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error). \(message)", file: file, line: line)
    }
}

/// Asserts that `body` throws exactly the token error `expected`.
public func XCTAssertTokenError<T>(
    _ expected: SessionTokenError, _ body: @autoclosure () throws -> T, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsExactly(expected, body, message, file: file, line: line)
}

/// Asserts that `body` throws exactly the cookie error `expected`.
public func XCTAssertCookieError<T>(
    _ expected: CookieError, _ body: @autoclosure () throws -> T, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsExactly(expected, body, message, file: file, line: line)
}
