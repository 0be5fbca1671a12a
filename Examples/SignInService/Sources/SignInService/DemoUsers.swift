import SessionToken

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

    init() throws {
        var byEmail: [String: User] = [:]
        for (id, email, password) in Self.demo {
            byEmail[email] = User(id: id, email: email, passwordHash: try PasswordHash.hash(password))
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
