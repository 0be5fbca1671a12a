import Foundation
import SessionCookies

/// The service's pages: plain server-rendered HTML, escaped by one function. The only script
/// is the sidebar toggle, which the cookie policy keeps in `localStorage`.
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

    /// Every page: the sidebar, the consent banner until the visitor has chosen, the body.
    static func layout(title: String, csrf: String, showBanner: Bool, body: String) -> String {
        let banner = showBanner ? """
            <div id="consent-banner" role="dialog" aria-label="Cookie consent">
              <p>We use essential cookies to keep you signed in. May we also set an analytics cookie?
                 <a href="/cookies">Cookie policy</a></p>
              <form method="post" action="/consent">
                <input type="hidden" name="csrfToken" value="\(escape(csrf))">
                <button id="consent-accept" name="choice" value="accept">Accept analytics</button>
                <button id="consent-decline" name="choice" value="decline">Essential only</button>
              </form>
            </div>
            """ : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 0; display: flex; }
              #sidebar { width: 12rem; padding: 1rem; background: #eef; min-height: 100vh; }
              #sidebar.collapsed { width: 2rem; overflow: hidden; }
              main { padding: 1rem 2rem; flex: 1; }
              #consent-banner { position: fixed; bottom: 0; left: 0; right: 0; background: #223; color: #fff; padding: 1rem; }
              #consent-banner a { color: #acf; }
              .error { color: #b00; }
              table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.3rem 0.6rem; }
            </style></head>
            <body>
            <nav id="sidebar"><button id="sidebar-toggle" type="button">☰</button>
              <ul><li><a href="/account">Account</a></li><li><a href="/cookies">Cookies</a></li></ul></nav>
            <main>\(body)</main>
            \(banner)
            <script>
              // The sidebar preference stays in this browser (localStorage), never in a cookie.
              const sidebar = document.getElementById("sidebar");
              if (localStorage.getItem("sidebar-collapsed") === "true") sidebar.classList.add("collapsed");
              document.getElementById("sidebar-toggle").addEventListener("click", () => {
                const collapsed = sidebar.classList.toggle("collapsed");
                localStorage.setItem("sidebar-collapsed", String(collapsed));
              });
            </script>
            </body></html>
            """
    }

    static func signIn(csrf: String, error: String?, email: String, showBanner: Bool) -> String {
        let message = error.map { "<p class=\"error\" id=\"signin-error\">\(escape($0))</p>" } ?? ""
        return layout(title: "Sign in", csrf: csrf, showBanner: showBanner, body: """
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

    static func account(subject: String, expires: Date, csrf: String, showBanner: Bool, notice: String? = nil) -> String {
        let iso = ISO8601DateFormatter().string(from: expires)
        let message = notice.map { "<p class=\"error\" id=\"account-notice\" role=\"alert\">\(escape($0))</p>" } ?? ""
        return layout(title: "Account", csrf: csrf, showBanner: showBanner, body: """
            <h1>Account</h1>
            \(message)
            <p>Signed in as <span id="user-id">\(escape(subject))</span>.</p>
            <p>This session expires at <time id="expires" datetime="\(iso)">\(iso)</time>.</p>
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

    static func cookies(policy: CookiePolicy, consent: ConsentRecord?, csrf: String) -> String {
        let rows = policy.definitions.map { definition in
            let duration = definition.maxAge.map { age in
                age % 31_536_000 == 0 ? "\(age / 31_536_000) year" : age >= 86_400 ? "\(age / 86_400) days" : "\(age) s"
            } ?? "Session"
            return "<tr><td>\(escape(definition.name))</td><td>\(escape(definition.category.rawValue))</td>"
                + "<td>\(duration)</td></tr>"
        }.joined(separator: "\n")
        let state = consent.map { $0.grants(.analytics) ? "You accepted analytics cookies." : "Essential cookies only." }
            ?? "You have not chosen yet."
        return layout(title: "Cookies", csrf: csrf, showBanner: consent == nil, body: """
            <h1>Cookies</h1>
            <table id="cookie-table"><tr><th>Name</th><th>Type</th><th>Duration</th></tr>
            \(rows)
            <tr><td>sidebar-collapsed</td><td>functional (localStorage, not a cookie)</td><td>Persistent</td></tr>
            </table>
            <p id="consent-state">\(state)</p>
            <form method="post" action="/consent">
              <input type="hidden" name="csrfToken" value="\(escape(csrf))">
              <button id="consent-withdraw" name="choice" value="decline">Withdraw consent</button>
              <button id="consent-grant" name="choice" value="accept">Accept analytics</button>
            </form>
            """)
    }
}
