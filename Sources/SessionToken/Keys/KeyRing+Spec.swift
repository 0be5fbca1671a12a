import struct Foundation.Date
import SessionTokenInternals

extension KeyRing {
    /// Reads the text form used by the command-line tool, the `SESSION_TOKEN_KEYS`
    /// environment variable and key files: entries separated by commas, the first one the
    /// primary key.
    ///
    /// - `KID:KEY`: a key, `KEY` the unpadded base64url of 32 bytes, bound to XC20P.
    /// - `KID:A256GCM:KEY`: a key bound to A256GCM (AES-256-GCM; refused on a CPU without AES
    ///   instructions). `KID:XC20P:KEY` is the same as `KID:KEY`.
    /// - `KID:KEY@UNIX` (or `KID:ENC:KEY@UNIX`): an accepted key that stopped being primary at `UNIX` (whole seconds
    ///   since 1970), which tells ``retiring(_:at:maxTokenAge:force:)`` when it is safe to retire.
    /// - `KID:retired`: a retired ID, known and refused.
    ///
    /// A spec of plain `KID:KEY` entries (the original form) reads as before. White space around
    /// the whole spec and around each entry is ignored (a file's final newline, say); inside an
    /// entry none is allowed.
    ///
    /// - Throws: ``SessionTokenError/configuration(_:)`` naming the entry at fault by its
    ///   position; the message never quotes the entry, since a pasted key can look like an ID.
    public init(spec: String) throws(SessionTokenError) {
        let rawEntries = spec.split(separator: ",", omittingEmptySubsequences: false)
        guard rawEntries.count <= Self.maxKeys else {
            throw .configuration("key ring spec has \(rawEntries.count) entries; at most \(Self.maxKeys) are allowed")
        }
        var keys: [(key: SessionKey, stoppedSealingAt: Date?)] = []
        var keyPositions: [Int] = []
        var retired: [String] = []
        var positionByID: [ExactName: Int] = [:]
        for (offset, raw) in rawEntries.enumerated() {
            let position = offset + 1
            let entry = raw.trimmingWhitespace()
            guard !entry.isEmpty else {
                throw .configuration("key ring spec entry \(position) is empty")
            }
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3 else {
                throw .configuration(
                    "key ring spec entry \(position) is not of the form KID:KEY or KID:ENC:KEY (ENC: A256GCM or XC20P)")
            }
            let id = String(parts[0])
            guard KeyID.isValid(id) else {
                throw .configuration(
                    "key ring spec entry \(position): key ID must be 1 to \(KeyID.maxLength) characters of A-Z a-z 0-9 . _ -")
            }
            if let earlier = positionByID.updateValue(position, forKey: ExactName(id)) {
                throw .configuration("key ring spec entries \(earlier) and \(position) have the same key ID")
            }
            if parts.count == 2, parts[1] == "retired" {
                guard position > 1 else {
                    throw .configuration("key ring spec entry 1 is the primary key and cannot be retired")
                }
                retired.append(id)
                continue
            }
            var encryption = TokenEncryption.xchacha20Poly1305
            if parts.count == 3 {
                // Never quoted: a mistyped entry could hold key text in any part.
                guard let named = TokenEncryption(name: String(parts[1])) else {
                    throw .configuration(
                        "key ring spec entry \(position) is not of the form KID:KEY or KID:ENC:KEY (ENC: A256GCM or XC20P)")
                }
                guard named.isAvailable else {
                    throw .configuration("key ring spec entry \(position): \(SessionKey.gcmUnavailableMessage)")
                }
                encryption = named
            }
            var keyText = parts[parts.count - 1]
            var stopped: Date?
            if let at = keyText.firstIndex(of: "@") {
                guard position > 1 else {
                    throw .configuration("key ring spec entry 1 is the primary key and cannot have stopped sealing")
                }
                guard let seconds = Int64(keyText[keyText.index(after: at)...]), seconds >= 0 else {
                    throw .configuration("key ring spec entry \(position): the time after @ must be whole unix seconds")
                }
                stopped = Date(timeIntervalSince1970: Double(seconds))
                keyText = keyText[..<at]
            }
            let key: SessionKey
            do {
                key = try SessionKey(id: id, base64URL: String(keyText), encryption: encryption)
            } catch {
                throw .configuration(
                    "key ring spec entry \(position): key must be \(SessionKey.byteCount) bytes of unpadded base64url")
            }
            if let twin = keys.firstIndex(where: { $0.key.hasSameBytes(as: key) }) {
                throw .configuration("key ring spec entries \(keyPositions[twin]) and \(position) hold the same key")
            }
            keys.append((key, stopped))
            keyPositions.append(position)
        }
        do {
            try self.init(entries: keys, retiredIDs: retired)
        } catch {
            if case .configuration(let message) = error { throw .configuration("key ring spec: \(message)") }
            throw error
        }
    }

    /// The text form that ``init(spec:)`` reads: the primary, the accepted keys, then the
    /// retired IDs. XC20P keys are written `KID:KEY` (so a ring of them exports as it always
    /// did), A256GCM keys `KID:A256GCM:KEY`. It contains every key's bytes: treat it as a secret.
    public func exportSpec() -> String {
        let keys = entries.map { entry in
            let mark = entry.stoppedSealingAt.map { "@\(Int64($0.timeIntervalSince1970.rounded(.up)))" } ?? ""
            let enc = entry.key.encryption == .xchacha20Poly1305 ? "" : "\(entry.key.encryption.name):"
            return "\(entry.key.id):\(enc)\(entry.key.exportBase64URL())\(mark)"
        }
        return (keys + retiredIDs.map { "\($0):retired" }).joined(separator: ",")
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs, CR and LF. Scalars, not Characters: a CRLF
    /// line ending is one Character that equals neither `"\r"` nor `"\n"`.
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return self[endIndex...] }
        return Substring(scalars[first...last])
    }
}
