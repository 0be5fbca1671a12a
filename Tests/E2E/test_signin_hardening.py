"""HTTP tests of Examples/SignInService as it would run in production (issue 28, item 5; make e2e):
sign-in limits per account and per address, the bounded password checks, the security headers,
the cookies set by default and with --analytics, and how ORIGIN and --secure must agree. Each
class starts the servers it needs on loopback, so the limits one case trips never reach another."""
import http.client
import os
import re
import subprocess
import tempfile
import threading
import unittest

from test_signin_service import BINARY, EMAIL, PASSWORD, Server, free_port

CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
POLICY_COOKIES = {"next-auth.session-token", "next-auth.csrf-token", "next-auth.callback-url",
                  "conneqt-cookie-consent"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Client:
    """One visitor over plain HTTP: keeps its cookies, knows its CSRF token, can claim an address."""

    def __init__(self, server, forwarded_for=None):
        self.port = server.port
        self.cookies = {}
        self.forwarded_for = forwarded_for
        self.set_cookie_names = set()
        self.token = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers as a dict of lowercase name to list of values, body text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        fields = {}
        for name, value in response.getheaders():
            fields.setdefault(name.lower(), []).append(value)
        for line in fields.get("set-cookie", []):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            self.set_cookie_names.add(name)
            if "max-age=0" in line.lower() or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        connection.close()
        token = re.search(r'name="csrfToken" value="([^"]+)"', text)
        if token:
            self.token = token.group(1)
        return response.status, fields, text

    def csrf(self):
        if self.token is None:
            self.request("GET", "/signin")
        return self.token

    def post(self, path, fields):
        body = "&".join([f"csrfToken={self.csrf()}"] + [f"{k}={v}" for k, v in fields.items()])
        return self.request("POST", path, body=body, headers=FORM)

    def sign_in(self, email=EMAIL, password=PASSWORD):
        return self.post("/signin", {"email": email, "password": password.replace(" ", "+")})


class LimitsPerAccountTests(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)

    def assert_wrong_password(self, answer):
        status, headers, page = answer
        self.assertEqual(status, 200)
        self.assertIn("Wrong email or password", page)
        self.assertNotIn("retry-after", headers)

    def assert_limited(self, answer):
        status, headers, page = answer
        self.assertEqual(status, 429)
        self.assertIn("Too many failed sign-ins", page)
        wait = int(headers["retry-after"][0])
        self.assertTrue(0 < wait <= 900, wait)

    def test_five_failures_for_one_account_then_429_with_retry_after_even_for_the_right_password(self):
        client = Client(self.server)
        for _ in range(5):
            self.assert_wrong_password(client.sign_in(password="not it"))
        self.assert_limited(client.sign_in(password="not it"))
        self.assert_limited(client.sign_in())
        self.assertNotIn("next-auth.session-token", client.cookies, "no session while limited")
        self.assert_limited(client.sign_in(email=EMAIL.upper()))  # the same account, whatever its case
        self.assert_limited(Client(self.server).sign_in())  # and from another browser
        # Per account: another one, from the same address, is still checked.
        self.assert_wrong_password(client.sign_in(email="grace@example.com", password="not it"))

    def test_a_success_before_the_limit_starts_the_account_afresh(self):
        client = Client(self.server)
        for _ in range(4):
            self.assert_wrong_password(client.sign_in(password="not it"))
        status, headers, _ = client.sign_in()
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], ["/account"])
        other = Client(self.server)
        for _ in range(5):
            self.assert_wrong_password(other.sign_in(password="not it"))
        self.assert_limited(other.sign_in(password="not it"))


class LimitsPerAddressTests(unittest.TestCase):
    def test_twenty_failures_from_one_address_then_429_for_every_account(self):
        server = Server(args=("--behind-proxy",))
        self.addCleanup(server.stop)
        guesser = Client(server, forwarded_for="203.0.113.7")
        for index in range(20):
            status, headers, _ = guesser.sign_in(email=f"user{index}@example.com", password="not it")
            self.assertEqual(status, 200, index)
        status, headers, _ = guesser.sign_in()
        self.assertEqual(status, 429, "the right password, but from the guessing address")
        self.assertTrue(0 < int(headers["retry-after"][0]) <= 900)
        # An entry the client wrote before the proxy's own does not make it someone else.
        spoofed = Client(server, forwarded_for="198.51.100.1, 203.0.113.7")
        self.assertEqual(spoofed.sign_in()[0], 429)
        # Another address signs in.
        status, headers, _ = Client(server, forwarded_for="203.0.113.8").sign_in()
        self.assertEqual(status, 303)

    def test_without_behind_proxy_a_forwarded_for_header_is_no_way_around_the_limit(self):
        server = Server()
        self.addCleanup(server.stop)
        for index in range(20):
            client = Client(server, forwarded_for=f"198.51.100.{index}")
            self.assertEqual(client.sign_in(email=f"user{index}@example.com", password="not it")[0], 200, index)
        status, headers, _ = Client(server, forwarded_for="198.51.100.99").sign_in()
        self.assertEqual(status, 429)
        self.assertIn("retry-after", headers)


class PasswordCheckPoolTests(unittest.TestCase):
    def test_a_burst_beyond_the_password_checks_gets_503_with_retry_after_and_other_routes_answer(self):
        server = Server(args=("--behind-proxy",))
        self.addCleanup(server.stop)
        clients = [Client(server, forwarded_for=f"10.0.0.{index}") for index in range(40)]
        for client in clients:
            client.csrf()
        start = threading.Barrier(len(clients))
        answers = [None] * len(clients)

        def guess(index):
            start.wait()
            answers[index] = clients[index].sign_in(email=f"user{index}@example.com", password="not it")

        threads = [threading.Thread(target=guess, args=(index,)) for index in range(len(clients))]
        for thread in threads:
            thread.start()
        status, _, _ = Client(server).request("GET", "/cookies")
        self.assertEqual(status, 200, "another route answers during the burst")
        for thread in threads:
            thread.join(timeout=60)
        statuses = [answer[0] for answer in answers]
        self.assertTrue(set(statuses) <= {200, 503}, statuses)
        self.assertGreaterEqual(statuses.count(503), 1, statuses)
        # Eight may wait; the two running ones are on top once the threads have taken them.
        self.assertGreaterEqual(statuses.count(200), 8, "the queue's worth is checked")
        for status, headers, _ in answers:
            if status == 503:
                self.assertEqual(headers["retry-after"], ["1"])
        # A refused attempt is not a failure: the address that got 503 has its attempt back.
        refused = statuses.index(503)
        status, _, _ = Client(server, forwarded_for=f"10.0.0.{refused}").sign_in()
        self.assertEqual(status, 303)


class SecurityHeaderTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def assert_headers(self, answer, what):
        status, headers, _ = answer
        self.assertEqual(headers.get("content-security-policy"), [CSP], what)
        self.assertEqual(headers.get("x-content-type-options"), ["nosniff"], what)
        self.assertEqual(headers.get("referrer-policy"), ["same-origin"], what)
        self.assertNotIn("strict-transport-security", headers, what + ": plain http")
        return status

    def test_every_answer_carries_the_headers_errors_included(self):
        client = Client(self.server)
        self.assertEqual(self.assert_headers(client.request("GET", "/signin"), "page"), 200)
        self.assertEqual(self.assert_headers(client.request("GET", "/cookies"), "page"), 200)
        self.assertEqual(self.assert_headers(client.request("GET", "/site.js"), "script"), 200)
        self.assertEqual(self.assert_headers(client.request("GET", "/site.css"), "style"), 200)
        self.assertEqual(self.assert_headers(client.request("GET", "/account"), "redirect"), 303)
        self.assertEqual(self.assert_headers(client.request("GET", "/no-such-page"), "404"), 404)
        self.assertEqual(self.assert_headers(client.request("GET", "/signout"), "GET /signout"), 404)
        self.assertEqual(self.assert_headers(client.request("POST", "/signout", "", FORM), "no CSRF"), 403)
        self.assertEqual(self.assert_headers(client.post("/consent", {"choice": "maybe"}), "bad choice"), 400)

    def test_pages_have_no_inline_script_or_style_and_assets_their_types(self):
        client = Client(self.server)
        _, _, page = client.request("GET", "/signin")
        self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)", "an inline script would be blocked by the CSP")
        self.assertNotIn("<style", page)
        self.assertNotIn(" style=", page)
        _, headers, _ = client.request("GET", "/site.js")
        self.assertEqual(headers["content-type"], ["text/javascript; charset=utf-8"])
        _, headers, _ = client.request("GET", "/site.css")
        self.assertEqual(headers["content-type"], ["text/css; charset=utf-8"])

    def test_with_secure_hsts_is_sent(self):
        server = Server(args=("--secure",))
        self.addCleanup(server.stop)
        for path, expected in [("/signin", 200), ("/no-such-page", 404)]:
            status, headers, _ = Client(server).request("GET", path)
            self.assertEqual(status, expected)
            self.assertEqual(headers.get("strict-transport-security"), ["max-age=31536000"], path)
            self.assertEqual(headers.get("content-security-policy"), [CSP], path)


class CookiesByDefaultTests(unittest.TestCase):
    def test_a_whole_visit_sets_only_the_policys_cookies_and_no_analytics_choice(self):
        server = Server()
        self.addCleanup(server.stop)
        client = Client(server)
        _, _, page = client.request("GET", "/signin?callbackUrl=%2Fcookies")
        self.assertNotIn("consent-accept", page)
        self.assertNotIn("analytics", page.lower())
        status, _, _ = client.post("/consent", {"choice": "accept"})
        self.assertEqual(status, 400, "nothing to accept")
        self.assertNotIn("conneqt-cookie-consent", client.cookies, "no consent recorded for it")
        self.assertEqual(client.post("/consent", {"choice": ""})[0], 400)
        self.assertEqual(client.post("/consent", {"choice": "decline"})[0], 303)
        self.assertEqual(client.sign_in()[0], 303)
        for path in ["/account", "/cookies"]:
            status, _, page = client.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assertNotIn("consent-grant", page)
            self.assertNotIn("analytics-id", page)
        self.assertEqual(client.post("/signout", {})[0], 303)
        self.assertNotIn("analytics-id", client.set_cookie_names)
        self.assertTrue(client.set_cookie_names <= POLICY_COOKIES, client.set_cookie_names)
        self.assertEqual(client.set_cookie_names, POLICY_COOKIES, "each of the policy's cookies was used")

    def test_with_analytics_accept_sets_the_analytics_cookie(self):
        for how in [{"args": ("--analytics",)}, {"env": {"ANALYTICS": "1"}}]:
            server = Server(**how)
            self.addCleanup(server.stop)
            client = Client(server)
            _, _, page = client.request("GET", "/signin")
            self.assertIn('id="consent-accept"', page, how)
            self.assertEqual(client.post("/consent", {"choice": "accept"})[0], 303, how)
            self.assertIn("analytics-id", client.cookies, how)
            self.assertEqual(client.post("/consent", {"choice": "decline"})[0], 303, how)
            self.assertNotIn("analytics-id", client.cookies, how)


class OriginTests(unittest.TestCase):
    def refused(self, origin, *args):
        """Starts the service expecting it to refuse; returns what it said."""
        data = tempfile.mkdtemp(prefix="signin-e2e-")
        port = free_port()
        environment = {k: v for k, v in os.environ.items() if k not in ("NEXTAUTH_SECRET", "SESSION_TOKEN_KEYS")}
        environment["ORIGIN"] = origin
        run = subprocess.run([BINARY, "--port", str(port), "--data", data, *args], env=environment,
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(run.returncode, 0, f"{origin} {args}: started")
        return run.stderr

    def test_an_https_origin_without_secure_refuses_to_start(self):
        said = self.refused("https://app.example.com")
        self.assertIn("--secure", said)
        self.assertIn("ORIGIN is https", said)

    def test_an_http_origin_with_secure_or_another_scheme_refuses_to_start(self):
        self.assertIn("ORIGIN is http but --secure", self.refused("http://app.example.com", "--secure"))
        self.assertIn("ORIGIN must be", self.refused("ftp://app.example.com"))
        self.assertIn("ORIGIN must be", self.refused("app.example.com"))

    def test_an_https_origin_with_secure_serves_prefixed_secure_cookies(self):
        server = Server(env={"ORIGIN": "https://app.example.com"}, args=("--secure",))
        self.addCleanup(server.stop)
        _, headers, _ = Client(server).request("GET", "/signin")
        lines = headers["set-cookie"]
        self.assertTrue(lines, "the CSRF cookie")
        for line in lines:
            self.assertRegex(line, r"^__(Host|Secure)-")
            self.assertIn("; Secure", line)

    def test_plain_http_says_it_is_the_development_mode(self):
        server = Server()
        server.stop()
        with open(server.log.name) as log:
            self.assertIn("development mode: plain http", log.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
