import Foundation
import HTTPTypes
import Hummingbird
import SessionCookies
import SessionToken
import SessionTokenHTTP
import SessionTokenHummingbird
import SessionTokenRevocation

/// The routes the browser tests rely on: `/signin`, `/account`, `/signout`,
/// `/signout-everywhere`, `/consent`, `/cookies`; and the page assets `/site.css`, `/site.js`.
enum Routes {
    /// What the routes share beyond the session configuration.
    struct Services: Sendable {
        let users: DemoUsers
        let callbacks: CallbackURLValidator
        /// The optional analytics cookie; nil unless the service runs with `--analytics`.
        let analytics: CookieDefinition?
        let throttle: SignInThrottle
        let passwordChecks: PasswordCheckPool
        let secure: Bool
        let behindProxy: Bool
    }

    static func make(sessions: SessionConfiguration, services: Services) -> Router<AppContext> {
        let policy = sessions.policy
        let users = services.users, callbacks = services.callbacks, analytics = services.analytics
        let router = Router(context: AppContext.self)
        router.add(middleware: SecurityHeaders(secure: services.secure))  // first: on every response
        router.add(middleware: SessionTokenMiddleware(sessions))
        router.add(middleware: CSRFMiddleware())  // 403 for a POST without the session's token

        router.get("/") { _, _ in redirect(to: "/account") }

        router.get("/signin") { request, context -> Response in
            var headers = HTTPFields()
            // A callback URL passed here is remembered, validated, for after the sign-in.
            if let callback = request.uri.queryParameters["callbackUrl"] {
                let line = try? CookieWriter(policy: policy, request: context.sessionToken.cookies)
                    .setCookie(policy.callbackURL, value: callbacks.validate(String(callback)))
                if let line { headers.append(HTTPField(name: .setCookie, value: line)) }
            }
            return try html(
                Pages.signIn(csrf: context.sessionToken.csrfToken(), error: nil, email: "",
                    showBanner: needsConsent(context, policy), analytics: analytics != nil), headers: headers)
        }

        router.post("/signin") { request, context -> Response in
            let form = try await formFields(request)
            let email = form["email"] ?? ""
            let account = email.lowercased()  // as DemoUsers looks it up, so case is no way around the limit
            let address = clientAddress(request, context, behindProxy: services.behindProxy)
            // Past a limit, or with the checks busy: a short page and no Argon2id, as cheap as an
            // answer can be, since a guessing script may ask for it thousands of times a second.
            if let wait = services.throttle.begin(account: account, address: address) {
                let minutes = (wait + 59) / 60
                return try html(
                    Pages.tryAgain(
                        "Too many failed sign-ins for this account or from this network. "
                            + "Try again in \(minutes) minute\(minutes == 1 ? "" : "s")."),
                    status: .tooManyRequests, headers: [.retryAfter: String(wait)])
            }
            let password = form["password"] ?? ""
            guard let outcome = await services.passwordChecks.run({ users.signIn(email: email, password: password) })
            else {
                services.throttle.giveBack(account: account, address: address)
                return try html(
                    Pages.tryAgain("Too many sign-ins at once. Try again in a moment."),
                    status: .serviceUnavailable, headers: [.retryAfter: "1"])
            }
            guard let user = outcome else {
                return try html(
                    Pages.signIn(
                        csrf: context.sessionToken.csrfToken(), error: "Wrong email or password.", email: email,
                        showBanner: needsConsent(context, policy), analytics: analytics != nil))
            }
            services.throttle.succeeded(account: account, address: address)
            try context.sessionToken.signIn(subject: user.id)
            let remembered = context.sessionToken.cookies[policy.callbackURL.name]
            let target = remembered.map { callbacks.validate(CookieValueCoding.decode($0) ?? "") } ?? "/account"
            var headers: HTTPFields = [.location: target]
            if remembered != nil, let line = try? policy.callbackURL.expiringSetCookie().headerValue() {
                headers.append(HTTPField(name: .setCookie, value: line))
            }
            return Response(status: .seeOther, headers: headers)
        }

        router.get("/account") { request, context -> Response in
            guard let session = context.sessionToken.session else {
                // Signed out: to the sign-in page, this page remembered as the callback URL.
                var headers: HTTPFields = [.location: "/signin"]
                let line = try? CookieWriter(policy: policy, request: context.sessionToken.cookies)
                    .setCookie(policy.callbackURL, value: callbacks.validate(request.uri.path))
                if let line { headers.append(HTTPField(name: .setCookie, value: line)) }
                return Response(status: .seeOther, headers: headers)
            }
            let notice = request.uri.queryParameters["notice"].map(String.init) == signOutFailed ? signOutFailedMessage : nil
            return try html(
                Pages.account(subject: session.subject, expires: session.expiresAt, deviceBound: session.isDeviceBound,
                    csrf: context.sessionToken.csrfToken(), showBanner: needsConsent(context, policy),
                    analytics: analytics != nil, notice: notice))
        }

        router.post("/signout") { _, context -> Response in
            try await signOut(context, revoking: .thisSession)
        }

        router.post("/signout-everywhere") { _, context -> Response in
            try await signOut(context, revoking: .everywhere)
        }

        router.post("/consent") { request, context -> Response in
            let form = try await formFields(request)
            // Accepting exists only when there is an optional cookie to accept.
            let accepted: Bool
            switch form["choice"] {
            case "accept" where analytics != nil: accepted = true
            case "decline": accepted = false
            default:
                return try html("<!doctype html><title>Bad request</title><p>No such choice.</p>", status: .badRequest)
            }
            let record = accepted ? ConsentRecord(granting: [.analytics]) : .essentialOnly
            let writer = CookieWriter(policy: policy, consent: record)
            var headers: HTTPFields = [.location: backTo(request)]
            headers.append(HTTPField(name: .setCookie, value: try writer.consentSetCookie(record)))
            if accepted, let analytics {
                if context.sessionToken.cookies[analytics.name] == nil {
                    let id = UUID().uuidString.lowercased()
                    headers.append(HTTPField(name: .setCookie, value: try writer.setCookie(analytics, value: id)))
                }
            } else {
                // Declined or withdrawn: every non-essential cookie the browser holds goes.
                for line in writer.withdrawnSetCookies(request: context.sessionToken.cookies) {
                    headers.append(HTTPField(name: .setCookie, value: line))
                }
            }
            return Response(status: .seeOther, headers: headers)
        }

        router.get("/cookies") { _, context -> Response in
            let consent = context.sessionToken.cookies[policy.consent.name].flatMap(ConsentRecord.parse)
            return try html(
                Pages.cookies(policy: policy, consent: consent, csrf: context.sessionToken.csrfToken(),
                    analytics: analytics != nil))
        }

        // The style sheet and script as files, so the CSP allows no inline code. `private`: a
        // response may carry a re-issued session cookie, which no shared cache may keep.
        router.get("/site.css") { _, _ in asset(Pages.styleSheet, type: "text/css; charset=utf-8") }
        router.get("/site.js") { _, _ in asset(Pages.script, type: "text/javascript; charset=utf-8") }
        return router
    }

    /// Signs out and revokes. When the revocation store refuses the revocation (the database is
    /// down), the session stays signed in, since a sign-out that only expired this browser's cookie
    /// would leave every copy of it valid: back to the account page with a message, so the user
    /// knows and can try again, and no server error.
    static func signOut(_ context: AppContext, revoking scope: RequestSession.RevocationScope) async throws -> Response {
        do {
            try await context.sessionToken.signOut(revoking: scope)
        } catch let error as RevocationStoreError {
            SignInService.log("sign-out not done: the revocation store refused it (\(error))")
            return redirect(to: "/account?notice=\(signOutFailed)")
        }
        return redirect(to: "/signin")
    }

    /// The account page's `notice` for a sign-out the store refused, and what the page says then.
    static let signOutFailed = "signout-failed"
    static let signOutFailedMessage = "You are still signed in: signing out could not be recorded just now. Please try again."

    static func needsConsent(_ context: AppContext, _ policy: CookiePolicy) -> Bool {
        context.sessionToken.cookies[policy.consent.name].flatMap(ConsentRecord.parse) == nil
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Who is signing in, for the per-address limit: the connection's peer, or behind a proxy
    /// the last `X-Forwarded-For` entry, the one the proxy itself appended (earlier entries are
    /// whatever the client wrote).
    static func clientAddress(_ request: Request, _ context: AppContext, behindProxy: Bool) -> String {
        if behindProxy, let forwarded = request.headers[values: .xForwardedFor].last,
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.peerAddress ?? "unknown"
    }

    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    /// Back to the page the form was on, when that was one of ours.
    static func backTo(_ request: Request) -> String {
        let referer = request.headers[.referer].flatMap { URLComponents(string: $0)?.path } ?? "/"
        return ["/account", "/cookies", "/signin"].contains(referer) ? referer : "/account"
    }

    /// A urlencoded form of at most 64 KiB; one value a name (the first).
    static func formFields(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 65_536)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count == 2 ? decode(parts[1]) : "" }
        }
        return fields
    }
}

extension HTTPField.Name {
    // HTTPTypes has no constant for it; the name is a valid token, so the initialiser cannot fail.
    fileprivate static var xForwardedFor: Self { .init("X-Forwarded-For")! }
}
