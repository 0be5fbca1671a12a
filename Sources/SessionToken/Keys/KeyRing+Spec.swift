extension KeyRing {
    /// Reads the text form used by the command-line tool, the `SESSION_TOKEN_KEYS`
    /// environment variable and key files: entries `KID:KEY` separated by commas, where `KEY`
    /// is the unpadded base64url of 32 bytes; the first entry is the primary key.
    ///
    /// White space around the whole spec and around each entry is ignored (a file's final
    /// newline, say); inside an entry none is allowed.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` naming the entry at fault by its
    ///   position; the message never quotes the entry, since a pasted key can look like an ID.
    public init(spec: String) throws(SessionTokenError) {
        let rawEntries = spec.split(separator: ",", omittingEmptySubsequences: false)
        guard rawEntries.count <= Self.maxKeys else {
            throw .configuration("key ring spec has \(rawEntries.count) entries; at most \(Self.maxKeys) are allowed")
        }
        var keys: [SessionKey] = []
        for (offset, raw) in rawEntries.enumerated() {
            let position = offset + 1
            let entry = raw.trimmingWhitespace()
            guard !entry.isEmpty else {
                throw .configuration("key ring spec entry \(position) is empty")
            }
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw .configuration("key ring spec entry \(position) is not of the form KID:KEY")
            }
            let id = String(parts[0])
            guard KeyID.isValid(id) else {
                throw .configuration(
                    "key ring spec entry \(position): key ID must be 1 to \(KeyID.maxLength) characters of A-Z a-z 0-9 . _ -")
            }
            do {
                keys.append(try SessionKey(id: id, base64URL: String(parts[1])))
            } catch {
                throw .configuration(
                    "key ring spec entry \(position): key must be \(SessionKey.byteCount) bytes of unpadded base64url")
            }
        }
        do {
            try self.init(primary: keys[0], accepted: Array(keys.dropFirst()))
        } catch {
            if case .configuration(let message) = error { throw .configuration("key ring spec: \(message)") }
            throw error
        }
    }

    /// The text form that ``init(spec:)`` reads, primary first. It contains every key's
    /// bytes: treat it as a secret.
    public func exportSpec() -> String {
        entries.map { "\($0.key.id):\($0.key.exportBase64URL())" }.joined(separator: ",")
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
