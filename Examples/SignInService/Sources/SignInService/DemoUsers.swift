import SessionTokenPasswords

/// The demo users, their passwords hashed with Argon2id when the service starts: what a real
/// service keeps in its user table.
struct DemoUsers: Sendable {
    struct User: Sendable {
        let id: String
        let email: String
        let passwordHash: String
    }

    private let byEmail: [String: User]

    static let demo = [("user-ada", "ada@example.com", "correct horse battery staple")]

    /// The password of the extra users (`--demo-users N`): a fleet test signs in hundreds of
    /// users, and each needs a known password.
    static let sharedPassword = "demo users share this password"

    /// The demo users, and `extra` more: `user-1`...`user-N` with emails `user-K@example.com`.
    /// The extra users share one password, hashed once: Argon2id is slow on purpose, and hashing
    /// it N times would delay the start by N hashes.
    init(extra: Int = 0) throws {
        var byEmail: [String: User] = [:]
        for (id, email, password) in Self.demo {
            byEmail[email] = User(id: id, email: email, passwordHash: try PasswordHash.hash(password))
        }
        if extra > 0 {
            let shared = try PasswordHash.hash(Self.sharedPassword)
            for number in 1...extra {
                let email = "user-\(number)@example.com"
                byEmail[email] = User(id: "user-\(number)", email: email, passwordHash: shared)
            }
        }
        self.byEmail = byEmail
    }

    /// The user whose email and password these are. An unknown email is checked against a
    /// dummy hash too, so that the answer takes as long either way.
    func signIn(email: String, password: String) -> User? {
        let user = byEmail[email.lowercased()]
        let verified = PasswordHash.verify(password, against: user?.passwordHash ?? Self.dummyHash)
        return verified ? user : nil
    }

    private static let dummyHash = (try? PasswordHash.hash("a password nobody has")) ?? ""
}
