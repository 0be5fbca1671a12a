#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SessionToken
import SessionTokenInternals

/// next-auth's chunking of a long cookie value, the one implementation for both the library's
/// session cookie (``SessionCookie``) and next-auth's (`NextAuthCookie` in
/// SessionTokenNextAuth): one cookie `NAME` when the value fits, else `NAME.0`, `NAME.1`, ...
/// Reading orders chunks by the number after the last dot.
package enum CookieChunks {
    /// Most chunks read or written: 64 chunks of about 3.9 KB are far beyond what any browser
    /// or proxy accepts in one request.
    package static let maxChunks = 64

    /// The `(name, value)` cookies that carry `value`; nil when it needs more than ``maxChunks``.
    package static func split(_ value: String, name: String, chunkSize: Int) -> [(name: String, value: String)]? {
        let bytes = Array(value.utf8)
        guard bytes.count > chunkSize else { return [(name, value)] }
        let count = (bytes.count + chunkSize - 1) / chunkSize
        guard count <= maxChunks else { return nil }
        return (0..<count).map { index in
            let start = index * chunkSize
            let end = min(start + chunkSize, bytes.count)
            return ("\(name).\(index)", String(decoding: bytes[start..<end], as: UTF8.self))
        }
    }

    /// -1 for `NAME`, n for `NAME.n` (decimal without leading zeros, below ``maxChunks``), nil
    /// for any other cookie name. Names are compared as bytes.
    static func index(of cookieName: String, name: String) -> Int? {
        // Native strings (every parsed cookie name) are read in place, without a copy of the
        // value (which a `var` for `withUTF8` would retain and release on every pair).
        let found = cookieName.utf8.withContiguousStorageIfAvailable { candidate in
            name.utf8.withContiguousStorageIfAvailable { index(of: UnsafeRawBufferPointer(candidate), name: UnsafeRawBufferPointer($0)) }
        }
        if case .some(.some(let index)) = found { return index }
        return Array(cookieName.utf8).withUnsafeBytes { candidate in
            Array(name.utf8).withUnsafeBytes { index(of: candidate, name: $0) }
        }
    }

    /// ``index(of:name:)`` on bytes.
    static func index(of candidate: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer) -> Int? {
        let extra = candidate.count - name.count
        guard !name.isEmpty, extra == 0 || extra == 2 || extra == 3,
            memcmp(candidate.baseAddress!, name.baseAddress!, name.count) == 0
        else { return nil }
        if extra == 0 { return -1 }
        guard candidate[name.count] == UInt8(ascii: ".") else { return nil }
        let first = candidate[name.count + 1] &- 0x30
        guard first <= 9 else { return nil }
        if extra == 2 { return Int(first) }
        let second = candidate[name.count + 2] &- 0x30
        guard first != 0, second <= 9 else { return nil }
        let index = Int(first) * 10 + Int(second)
        return index < maxChunks ? index : nil
    }

    /// The outcome of reading the chunks of `name` from a request.
    package enum Reading: Equatable {
        /// No cookie of that name and no chunk.
        case absent
        /// The joined value.
        case value(String)
        /// Both `NAME` and chunks, a name sent twice, a gap in the numbers, an empty part, or
        /// over `maxLength`.
        case malformed
    }

    /// Joins `NAME` or `NAME.0`, `NAME.1`, ... from the request. Any name of the set sent twice
    /// makes the whole value ambiguous (the rule of ``RequestCookies``), so it is malformed.
    package static func join(_ cookies: RequestCookies, name: String, maxLength: Int) -> Reading {
        // Where each part is among the pairs, in a table on the stack: slot 0 for `NAME`, slot
        // n + 1 for `NAME.n`; -1 for none.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: maxChunks + 1) { slots in
            slots.initialize(repeating: -1)
            var total = 0
            // Through the array's buffer: each pair is read in place, not copied (a copy retains
            // and releases its two strings).
            let malformed = cookies.pairs.withUnsafeBufferPointer { pairs in
                for offset in pairs.indices {
                    guard let index = index(of: pairs[offset].name, name: name) else { continue }
                    total += pairs[offset].value.utf8.count
                    guard total <= maxLength, slots[index + 1] < 0 else { return true }
                    slots[index + 1] = offset
                }
                return false
            }
            if malformed { return .malformed }
            return joined(parts: slots, total: total) { cookies.pairs[$0].value }
        }
    }

    /// ``join(_:name:maxLength:)`` straight from a `Cookie` header's bytes, with the rules of
    /// ``RequestCookies/init(header:limits:)`` for the header (nil when it refuses it): no
    /// `String` is made but the joined value, so the allocations do not grow with the number
    /// of chunks or of other cookies.
    package static func join(header: String, name: String, limits: CookieLimits, maxLength: Int) -> Reading? {
        guard header.utf8.count <= limits.maxHeaderBytes else { return nil }
        var header = header, name = name
        return header.withUTF8 { bytes in
            name.withUTF8 { name in
                let bytes = UnsafeRawBufferPointer(bytes), name = UnsafeRawBufferPointer(name)
                // Slot 0 for `NAME`, slot n + 1 for `NAME.n`: each a value's start and end.
                return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: maxChunks + 1) { slots in
                    slots.initialize(repeating: 0..<0)
                    var repeated = false, total = 0
                    do throws(CookieError) {
                        try RequestCookies.visit(bytes, limits: limits) { nameRange, value in
                            guard let index = index(of: UnsafeRawBufferPointer(rebasing: bytes[nameRange]), name: name) else { return }
                            total += value.count
                            // Seen before: the start of a range is past the header's first byte.
                            if slots[index + 1].upperBound > 0 { repeated = true }
                            slots[index + 1] = value.lowerBound..<(value.upperBound + 1)
                        }
                    } catch {
                        return nil
                    }
                    guard !repeated, total <= maxLength else { return .malformed }
                    // Stored with the end one past, so that an empty value still marks its slot.
                    return joinedBytes(slots: slots, total: total, in: bytes)
                }
            }
        }
    }

    /// The joined value from the slots' value ranges (end one past, 0..<0 for none).
    private static func joinedBytes(slots: UnsafeMutableBufferPointer<Range<Int>>, total: Int, in bytes: UnsafeRawBufferPointer) -> Reading {
        let whole = slots[0]
        let chunks = slots[1...].prefix { $0.upperBound > 0 }.count
        let more = slots[(1 + chunks)...].contains { $0.upperBound > 0 }
        if whole.upperBound > 0 {
            guard chunks == 0, !more, whole.count > 1 else { return .malformed }
            return .value(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[whole.lowerBound..<(whole.upperBound - 1)]), as: UTF8.self))
        }
        guard chunks > 0 else { return more ? .malformed : .absent }
        guard !more, slots[1...chunks].allSatisfy({ $0.count > 1 }) else { return .malformed }
        let parts = slots[1...chunks]
        let length = parts.reduce(0) { $0 + $1.count - 1 }
        return .value(String(unsafeUninitializedCapacity: length) { out in
            var at = 0
            for part in parts {
                let n = part.count - 1
                UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[at..<(at + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[part.lowerBound..<(part.upperBound - 1)]))
                at += n
            }
            return length
        })
    }

    /// The joined value of the parts found at `slots` (pair offsets, -1 for none).
    private static func joined(parts slots: UnsafeMutableBufferPointer<Int>, total: Int, value: (Int) -> String) -> Reading {
        let chunks = slots[1...].prefix { $0 >= 0 }.count
        let more = slots[(1 + chunks)...].contains { $0 >= 0 }
        if slots[0] >= 0 {
            let whole = value(slots[0])
            return chunks == 0 && !more && !whole.isEmpty ? .value(whole) : .malformed
        }
        guard chunks > 0 else { return more ? .malformed : .absent }
        guard !more else { return .malformed }
        var joined = ""
        joined.reserveCapacity(total)
        for slot in slots[1...chunks] {
            let chunk = value(slot)
            guard !chunk.isEmpty else { return .malformed }
            joined += chunk
        }
        return .value(joined)
    }

    /// The names of `name`'s cookie and chunks the request carried, each once, in order of
    /// appearance.
    package static func present(_ cookies: RequestCookies, name: String) -> [String] {
        // Only the session's own names are collected (a repeat among them is rare and found by
        // comparing them), not every name of the request into a hashed set.
        var found: [String] = []
        cookies.pairs.withUnsafeBufferPointer { pairs in
            for pair in pairs where index(of: pair.name, name: name) != nil {
                if !found.contains(where: { ExactName.same($0, pair.name) }) { found.append(pair.name) }
            }
        }
        return found
    }

    /// The `Set-Cookie` values that store `value` under `template`'s name and attributes: first
    /// an expiring line for every chunk the request carried that the new value does not use
    /// (so that no stale chunk is joined to the new ones), then one line per chunk. Every line
    /// goes through ``SetCookie/headerValue()``, so a value with `;`, CR, LF or any other byte
    /// outside cookie-octets is refused, never written.
    ///
    /// - Throws: ``CookieError/tooManyChunks(name:limit:)``, or the ``SetCookie`` rule a line breaks.
    package static func setCookieLines(
        for value: String, template: SetCookie, chunkSize: Int, request: RequestCookies
    ) throws(CookieError) -> [String] {
        guard let chunks = split(value, name: template.name, chunkSize: chunkSize) else {
            throw .tooManyChunks(name: template.name, limit: maxChunks)
        }
        let kept = Set(chunks.map { ExactName($0.name) })
        var lines: [String] = []
        for name in present(request, name: template.name) where !kept.contains(ExactName(name)) {
            lines.append(try expiring(template, name: name).headerValue())
        }
        for chunk in chunks {
            var cookie = template
            cookie.name = chunk.name
            cookie.value = chunk.value
            lines.append(try cookie.headerValue())
        }
        return lines
    }

    /// The `Set-Cookie` values that delete `template`'s cookie and every chunk of it the
    /// request carried (one for `NAME` when it carried none), with the same `Path`, `Domain`
    /// and flags so that the browser matches the cookies it holds.
    ///
    /// - Throws: The ``SetCookie`` rule the template breaks.
    package static func expiringLines(template: SetCookie, request: RequestCookies) throws(CookieError) -> [String] {
        var names = present(request, name: template.name)
        if names.isEmpty { names = [template.name] }
        var lines: [String] = []
        for name in names { lines.append(try expiring(template, name: name).headerValue()) }
        return lines
    }

    private static func expiring(_ template: SetCookie, name: String) -> SetCookie {
        var cookie = template
        cookie.name = name
        cookie.value = ""
        cookie.maxAge = 0
        cookie.expires = nil
        return cookie
    }
}
