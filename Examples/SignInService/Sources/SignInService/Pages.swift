import Foundation
import SessionCookies

/// The service's pages: plain server-rendered HTML, escaped by one function. The style sheet
/// and the only script (the sidebar toggle, which the cookie policy keeps in `localStorage`)
/// are served as files, `/site.css` and `/site.js`, so the Content-Security-Policy needs no
/// exception for inline code (``SecurityHeaders``).
enum Pages {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Every page: the sidebar, the consent banner until the visitor has chosen, the body. With
    /// analytics the banner asks; without, it only tells (there is nothing to consent to) and
    /// its button records that, so the visitor is not told again.
    static func layout(title: String, csrf: String, showBanner: Bool, analytics: Bool, body: String) -> String {
        let question = analytics
            ? "We use essential cookies to keep you signed in. May we also set an analytics cookie?"
            : "We use only essential cookies: they keep you signed in and protect your forms."
        let buttons = analytics
            ? """
              <button id="consent-accept" name="choice" value="accept">Accept analytics</button>
                  <button id="consent-decline" name="choice" value="decline">Essential only</button>
              """
            : #"<button id="consent-decline" name="choice" value="decline">OK</button>"#
        let banner = showBanner ? """
            <div id="consent-banner" role="dialog" aria-label="Cookie consent">
              <p>\(question) <a href="/cookies">Cookie policy</a></p>
              <form method="post" action="/consent">
                <input type="hidden" name="csrfToken" value="\(escape(csrf))">
                \(buttons)
              </form>
            </div>
            """ : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <link rel="stylesheet" href="/site.css"></head>
            <body>
            <nav id="sidebar"><button id="sidebar-toggle" type="button">☰</button>
              <ul><li><a href="/account">Account</a></li><li><a href="/cookies">Cookies</a></li></ul></nav>
            <main>\(body)</main>
            \(banner)
            <script src="/site.js"></script>
            </body></html>
            """
    }

    static let styleSheet = """
        body { font-family: system-ui, sans-serif; margin: 0; display: flex; }
        #sidebar { width: 12rem; padding: 1rem; background: #eef; min-height: 100vh; }
        #sidebar.collapsed { width: 2rem; overflow: hidden; }
        main { padding: 1rem 2rem; flex: 1; }
        #consent-banner { position: fixed; bottom: 0; left: 0; right: 0; background: #223; color: #fff; padding: 1rem; }
        #consent-banner a { color: #acf; }
        .error { color: #b00; }
        table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.3rem 0.6rem; }

        """

    static let script = """
        // The sidebar preference stays in this browser (localStorage), never in a cookie.
        const sidebar = document.getElementById("sidebar");
        if (localStorage.getItem("sidebar-collapsed") === "true") sidebar.classList.add("collapsed");
        document.getElementById("sidebar-toggle").addEventListener("click", () => {
          const collapsed = sidebar.classList.toggle("collapsed");
          localStorage.setItem("sidebar-collapsed", String(collapsed));
        });

        """

    static func signIn(csrf: String, error: String?, email: String, showBanner: Bool, analytics: Bool) -> String {
        let message = error.map { "<p class=\"error\" id=\"signin-error\">\(escape($0))</p>" } ?? ""
        return layout(title: "Sign in", csrf: csrf, showBanner: showBanner, analytics: analytics, body: """
            <h1>Sign in</h1>
            \(message)
            <form id="signin-form" method="post" action="/signin">
              <input type="hidden" name="csrfToken" value="\(escape(csrf))">
              <p><label>Email <input name="email" type="email" value="\(escape(email))" required></label></p>
              <p><label>Password <input name="password" type="password" required></label></p>
              <p><button id="signin-submit" type="submit">Sign in</button></p>
            </form>
            """)
    }

    /// A sign-in that cannot be tried now (limits, busy checks): the reason and a way back; no
    /// layout and no form, so it costs next to nothing to send.
    static func tryAgain(_ message: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign in later</title></head>
        <body><h1>Sign in later</h1><p id="signin-error">\(escape(message))</p>
        <p><a href="/signin">Sign in</a></p></body></html>
        """
    }

    static func account(
        subject: String, expires: Date, deviceBound: Bool, csrf: String, showBanner: Bool, analytics: Bool,
        notice: String? = nil
    ) -> String {
        let iso = ISO8601DateFormatter().string(from: expires)
        let message = notice.map { "<p class=\"error\" id=\"account-notice\" role=\"alert\">\(escape($0))</p>" } ?? ""
        return layout(title: "Account", csrf: csrf, showBanner: showBanner, analytics: analytics, body: """
            <h1>Account</h1>
            \(message)
            <p>Signed in as <span id="user-id">\(escape(subject))</span>.</p>
            <p>This session expires at <time id="expires" datetime="\(iso)">\(iso)</time>.</p>
            <p>Bound to this device: <span id="device-bound">\(deviceBound ? "yes" : "no")</span>.</p>
            <form method="post" action="/signout" id="signout-form">
              <input type="hidden" name="csrfToken" value="\(escape(csrf))">
              <button id="signout" type="submit">Sign out</button>
            </form>
            <form method="post" action="/signout-everywhere" id="signout-everywhere-form">
              <input type="hidden" name="csrfToken" value="\(escape(csrf))">
              <button id="signout-everywhere" type="submit">Sign out everywhere</button>
            </form>
            """)
    }

    /// The policy's table (Name, Purpose, Duration, Type), rendered from the cookie definitions
    /// the service writes with, so the page cannot list a cookie the service does not set.
    static func cookies(policy: CookiePolicy, consent: ConsentRecord?, csrf: String, analytics: Bool) -> String {
        let rows = policy.definitions.map { definition in
            let duration = definition.maxAge.map { age in
                age % 31_536_000 == 0 ? "\(age / 31_536_000) year" : age >= 86_400 ? "\(age / 86_400) days" : "\(age) s"
            } ?? "Session"
            return row(definition.name, purpose(of: definition, in: policy), duration, definition.category.rawValue)
        } + [row("sidebar-collapsed", Purpose.sidebar, "Persistent", CookieCategory.functional.rawValue)]
        let choice: String
        if analytics {
            let state =
                consent.map { $0.grants(.analytics) ? "You accepted analytics cookies." : "Essential cookies only." }
                ?? "You have not chosen yet."
            choice = """
                <p id="consent-state">\(state)</p>
                <form method="post" action="/consent">
                  <input type="hidden" name="csrfToken" value="\(escape(csrf))">
                  <button id="consent-withdraw" name="choice" value="decline">Withdraw consent</button>
                  <button id="consent-grant" name="choice" value="accept">Accept analytics</button>
                </form>
                """
        } else {
            choice = #"<p id="consent-state">Only essential cookies are used: nothing to accept or decline.</p>"#
        }
        return layout(title: "Cookies", csrf: csrf, showBanner: consent == nil, analytics: analytics, body: """
            <h1>Cookies</h1>
            <table id="cookie-table"><tr><th>Name</th><th>Purpose</th><th>Duration</th><th>Type</th></tr>
            \(rows.joined(separator: "\n"))
            </table>
            \(choice)
            """)
    }

    private static func row(_ name: String, _ purpose: String, _ duration: String, _ type: String) -> String {
        "<tr><td>\(escape(name))</td><td>\(escape(purpose))</td><td>\(escape(duration))</td>"
            + "<td>\(escape(type.prefix(1).uppercased() + type.dropFirst()))</td></tr>"
    }

    /// What each cookie is for, in the policy's words.
    private enum Purpose {
        static let session = "Keeps you signed in. Contains an encrypted token with your user ID and session expiry."
        static let csrf = "Protects against CSRF attacks on the login form."
        static let callbackURL = "Redirects you back where you came from after logging in."
        static let consent = "Remembers your cookie preferences so we don't keep asking."
        static let analytics = "Counts visits, with a random ID. Set only after you accept analytics."
        static let sidebar = "Your sidebar open/collapsed preference (client-side localStorage, not a server cookie)."
    }

    private static func purpose(of definition: CookieDefinition, in policy: CookiePolicy) -> String {
        switch definition.name {
        case policy.session.name: Purpose.session
        case policy.csrf.name: Purpose.csrf
        case policy.callbackURL.name: Purpose.callbackURL
        case policy.consent.name: Purpose.consent
        default: definition.category == .analytics ? Purpose.analytics : ""
        }
    }
}
