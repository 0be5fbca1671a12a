"""Browser tests of Examples/SignInService (make e2e): Debian's Chromium, headless, through
Selenium. Every case drives the real service on loopback; the servers are started here."""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, "Examples", "SignInService", ".build", "debug", "SignInService")
SHOTS = os.environ.get("E2E_SCREENSHOTS", os.path.join(ROOT, ".build-e2e", "screenshots"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Vectors", "nextauth"))

EMAIL, PASSWORD = "ada@example.com", "correct horse battery staple"
KEY1 = "k1:" + "A" * 42 + "E"
KEY2 = "k2:" + "B" * 42 + "E"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One SignInService process on a free loopback port."""

    def __init__(self, env=None, args=()):
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix="signin-e2e-")
        self.origin = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if k not in ("NEXTAUTH_SECRET", "SESSION_TOKEN_KEYS")}
        environment.update(env or {})
        self.log = open(os.path.join(self.data, "server.log"), "w")
        self.process = subprocess.Popen([BINARY, "--port", str(self.port), "--data", self.data, *args],
                                        env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the service did not start: " + open(self.log.name).read())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=15)
        self.log.close()


def sign_in(driver, origin, password=PASSWORD, path="/signin"):
    """Signs in through the form and waits for the page that follows."""
    driver.get(origin + path)
    form = driver.find_element(By.ID, "signin-form")
    form.find_element(By.NAME, "email").send_keys(EMAIL)
    form.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(driver, "signin-submit")


def click_and_wait(driver, element_id):
    """Clicks a submit button and waits until the browser has loaded the page that follows."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, element_id).click()
    WebDriverWait(driver, 10).until(lambda d: not is_attached(old))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def is_attached(element):
    try:
        element.is_enabled()
        return True
    except Exception:
        return False


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,800"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


class BrowserTestCase(unittest.TestCase):
    """One example server for the class (started with `server_args`), a fresh browser a test."""
    server = None
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=cls.server_args)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.browser = browser()
        self.addCleanup(self.browser.quit)


class SignInServiceTests(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        os.makedirs(SHOTS, exist_ok=True)

    # Helpers -----------------------------------------------------------------------------

    def open(self, path, driver=None, server=None):
        (driver or self.browser).get((server or self.server).origin + path)

    def sign_in(self, driver=None, server=None, password=PASSWORD, path="/signin"):
        sign_in(driver or self.browser, (server or self.server).origin, password, path)

    def path(self, driver=None):
        return urllib.parse.urlparse((driver or self.browser).current_url).path

    def post_status(self, path, body, driver=None):
        """Posts a form from the page with fetch and returns the HTTP status."""
        return (driver or self.browser).execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {method: 'POST', body: arguments[1], redirect: 'manual',"
            " headers: {'Content-Type': 'application/x-www-form-urlencoded'}}).then(r => done(r.status));",
            path, body)

    def session_cookie(self, driver=None):
        return (driver or self.browser).get_cookie("next-auth.session-token")

    # Cases -------------------------------------------------------------------------------

    def test_sign_in_reaches_the_account_with_the_policys_session_cookie(self):
        self.open("/signin")
        self.browser.save_screenshot(os.path.join(SHOTS, "signin.png"))
        self.assertTrue(self.browser.find_element(By.ID, "consent-banner").is_displayed())
        self.browser.find_element(By.ID, "consent-banner").screenshot(os.path.join(SHOTS, "consent-banner.png"))
        self.sign_in()
        self.assertEqual(self.path(), "/account")
        self.assertEqual(self.browser.find_element(By.ID, "user-id").text, "user-ada")
        cookie = self.session_cookie()
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Lax")
        self.assertEqual(cookie["path"], "/")
        self.assertFalse(cookie["secure"], "plain http on 127.0.0.1: no Secure, no prefix, as next-auth")
        self.assertAlmostEqual(cookie["expiry"] - time.time(), 30 * 86_400, delta=120)
        expires = self.browser.find_element(By.ID, "expires").get_attribute("datetime")
        self.assertTrue(expires.startswith(time.strftime("%Y", time.gmtime(time.time() + 30 * 86_400))))
        self.assertEqual(self.browser.execute_script("return document.cookie.includes('session-token')"), False,
                         "HttpOnly: scripts cannot read it")

    def test_a_wrong_password_rerenders_the_form_and_sets_no_session(self):
        self.sign_in(password="not the password")
        self.assertEqual(self.path(), "/signin")
        self.assertIn("Wrong email or password", self.browser.find_element(By.ID, "signin-error").text)
        self.assertIsNone(self.session_cookie())

    def test_a_tampered_session_cookie_signs_the_browser_out(self):
        self.sign_in()
        cookie = self.session_cookie()
        value = cookie["value"]
        tampered = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]
        self.browser.delete_cookie(cookie["name"])
        self.browser.add_cookie({"name": cookie["name"], "value": tampered, "path": "/"})
        self.open("/account")
        self.assertEqual(self.path(), "/signin")

    def test_csrf_a_form_without_or_with_a_wrong_token_is_403_and_changes_nothing(self):
        self.sign_in()
        self.open("/account")
        for body in ["", "csrfToken=", "csrfToken=" + "0" * 64, "csrfToken=wrong"]:
            self.assertEqual(self.post_status("/signout", body), 403, body)
            self.assertEqual(self.post_status("/signout-everywhere", body), 403, body)
            self.assertEqual(self.post_status("/consent", body + "&choice=accept"), 403, body)
        self.open("/account")
        self.assertEqual(self.browser.find_element(By.ID, "user-id").text, "user-ada", "still signed in")
        self.assertIsNone(self.browser.get_cookie("analytics-id"), "no consent recorded")
        self.assertIsNone(self.browser.get_cookie("conneqt-cookie-consent"))

    def test_the_account_is_reached_through_the_remembered_callback_url(self):
        self.open("/account")
        self.assertEqual(self.path(), "/signin", "signed out: to the sign-in page")
        self.assertIsNotNone(self.browser.get_cookie("next-auth.callback-url"))
        form = self.browser.find_element(By.ID, "signin-form")
        form.find_element(By.NAME, "email").send_keys(EMAIL)
        form.find_element(By.NAME, "password").send_keys(PASSWORD)
        click_and_wait(self.browser, "signin-submit")
        self.assertEqual(self.path(), "/account")
        self.assertIsNone(self.browser.get_cookie("next-auth.callback-url"), "used once, then expired")
        self.sign_in(path="/signin?callbackUrl=%2Fcookies")
        self.assertEqual(self.path(), "/cookies")

    def test_open_redirect_payloads_land_on_the_services_own_origin(self):
        payloads = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                    "http://127.0.0.1.evil.example/", "https:evil.example", "\\\\evil.example",
                    "http://127.0.0.1:1/", "data:text/html,hi"]
        for payload in payloads:
            self.browser.delete_all_cookies()
            self.sign_in(path="/signin?callbackUrl=" + urllib.parse.quote(payload, safe=""))
            landed = urllib.parse.urlparse(self.browser.current_url)
            self.assertEqual(f"{landed.scheme}://{landed.netloc}", self.server.origin, payload)

    def test_by_default_the_banner_only_tells_and_no_analytics_cookie_is_offered(self):
        self.open("/signin")
        banner = self.browser.find_element(By.ID, "consent-banner")
        self.assertNotIn("analytics", banner.text.lower())
        self.assertEqual(self.browser.find_elements(By.ID, "consent-accept"), [], "nothing to accept")
        click_and_wait(self.browser, "consent-decline")
        self.assertEqual(self.browser.find_elements(By.ID, "consent-banner"), [], "not shown again")
        self.assertIsNotNone(self.browser.get_cookie("conneqt-cookie-consent"))
        self.assertIsNone(self.browser.get_cookie("analytics-id"))
        self.open("/cookies")
        self.assertEqual(self.browser.find_elements(By.ID, "consent-grant"), [])
        self.assertEqual(self.browser.find_elements(By.ID, "consent-withdraw"), [])
        names = [cell.text for cell in self.browser.find_elements(By.CSS_SELECTOR, "#cookie-table td:first-child")]
        self.assertEqual(names, ["next-auth.session-token", "next-auth.csrf-token", "next-auth.callback-url",
                                 "conneqt-cookie-consent", "sidebar-collapsed"], "exactly the policy's")
        headings = [cell.text for cell in self.browser.find_elements(By.CSS_SELECTOR, "#cookie-table th")]
        self.assertEqual(headings, ["Name", "Purpose", "Duration", "Type"])

    def test_sign_out_expires_the_session(self):
        self.sign_in()
        copied = self.session_cookie()["value"]
        click_and_wait(self.browser, "signout")
        self.assertEqual(self.path(), "/signin")
        self.assertIsNone(self.session_cookie())
        # The signed-out token, put back, is refused: its jti is revoked.
        self.browser.add_cookie({"name": "next-auth.session-token", "value": copied, "path": "/"})
        self.open("/account")
        self.assertEqual(self.path(), "/signin")

    def test_sign_out_everywhere_from_a_second_profile_signs_the_first_out(self):
        other = browser()
        self.addCleanup(other.quit)
        self.sign_in()
        self.sign_in(driver=other)
        click_and_wait(other, "signout-everywhere")
        self.assertEqual(self.path(other), "/signin")
        self.open("/account")
        self.assertEqual(self.path(), "/signin", "the first profile is signed out on its next request")
        # Signing in again at once (often within the second of the revocation) starts a session
        # after its cut-off: the sign-in time is kept in milliseconds, so it is not refused. In
        # whole seconds it was, and the next test's sign-in failed when it came that quickly.
        self.sign_in(driver=other)
        other.get(self.server.origin + "/account")
        self.assertEqual(self.path(other), "/account", "a sign-in right after the revocation stays signed in")

    def test_the_sidebar_choice_survives_a_reload_in_local_storage(self):
        self.open("/cookies")
        self.browser.find_element(By.ID, "sidebar-toggle").click()
        self.browser.refresh()
        classes = self.browser.find_element(By.ID, "sidebar").get_attribute("class")
        self.assertIn("collapsed", classes)
        self.assertEqual(self.browser.execute_script("return localStorage.getItem('sidebar-collapsed')"), "true")
        self.assertIsNone(self.browser.get_cookie("sidebar-collapsed"), "not a cookie")


class AnalyticsConsentTests(BrowserTestCase):
    """With --analytics: the banner asks, and the analytics cookie follows the visitor's choice."""
    server_args = ("--analytics",)

    def open(self, path):
        self.browser.get(self.server.origin + path)

    def test_consent_analytics_only_after_accept_and_gone_after_withdrawal(self):
        self.open("/signin")
        self.assertIsNone(self.browser.get_cookie("analytics-id"), "nothing before a choice")
        click_and_wait(self.browser, "consent-decline")
        self.assertIsNone(self.browser.get_cookie("analytics-id"), "none after decline")
        self.assertIsNotNone(self.browser.get_cookie("conneqt-cookie-consent"))
        self.assertEqual(self.browser.find_elements(By.ID, "consent-banner"), [], "no banner once chosen")
        consent = self.browser.get_cookie("conneqt-cookie-consent")
        self.assertAlmostEqual(consent["expiry"] - time.time(), 365 * 86_400, delta=120)

        self.browser.delete_all_cookies()
        self.open("/signin")
        click_and_wait(self.browser, "consent-accept")
        self.assertIsNotNone(self.browser.get_cookie("analytics-id"), "present after accept")
        self.open("/cookies")
        self.assertIn("accepted", self.browser.find_element(By.ID, "consent-state").text)
        names = [cell.text for cell in self.browser.find_elements(By.CSS_SELECTOR, "#cookie-table td:first-child")]
        self.assertEqual(names, ["next-auth.session-token", "next-auth.csrf-token", "next-auth.callback-url",
                                 "conneqt-cookie-consent", "analytics-id", "sidebar-collapsed"])
        types = [cell.text for cell in self.browser.find_elements(By.CSS_SELECTOR, "#cookie-table td:last-child")]
        self.assertEqual(types[4], "Analytics")
        click_and_wait(self.browser, "consent-withdraw")
        self.assertIsNone(self.browser.get_cookie("analytics-id"), "gone after withdrawal")



class KeyRotationTests(unittest.TestCase):
    def test_rotation_with_a_reload_keeps_the_browser_signed_in_and_reissues_under_the_new_key(self):
        keys = tempfile.NamedTemporaryFile("w", suffix=".keys", delete=False)
        keys.write(KEY1)
        keys.close()
        server = Server(args=("--keys-file", keys.name))
        self.addCleanup(server.stop)
        driver = browser()
        self.addCleanup(driver.quit)
        sign_in(driver, server.origin)
        before = driver.get_cookie("next-auth.session-token")["value"]
        self.assertEqual(kid(before), "k1")
        with open(keys.name, "w") as f:
            f.write(KEY2 + "," + KEY1)  # the new primary first, the old one still accepted
        server.process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        driver.get(server.origin + "/account")
        self.assertEqual(driver.find_element(By.ID, "user-id").text, "user-ada", "still signed in")
        after = driver.get_cookie("next-auth.session-token")["value"]
        self.assertNotEqual(after, before, "re-issued")
        self.assertEqual(kid(after), "k2")


class NextAuthCookieTests(unittest.TestCase):
    def test_a_cookie_made_by_the_next_auth_vectors_generator_signs_the_browser_in(self):
        import generate_nextauth as nextauth
        secret = "the e2e next-auth secret, shared with the front end"
        server = Server(env={"NEXTAUTH_SECRET": secret})
        self.addCleanup(server.stop)
        driver = browser()
        self.addCleanup(driver.quit)
        now = int(time.time())
        token = nextauth.v4_token(secret, nextauth.claims(sub="user-from-next-auth", iat=now - 5,
                                                          exp=now + 2_592_000))
        driver.get(server.origin + "/cookies")
        driver.add_cookie({"name": "next-auth.session-token", "value": token, "path": "/", "httpOnly": True})
        driver.get(server.origin + "/account")
        self.assertEqual(driver.find_element(By.ID, "user-id").text, "user-from-next-auth")
        # A token under another secret does not.
        other = nextauth.v4_token("another secret", nextauth.claims(sub="mallory", iat=now - 5, exp=now + 60))
        driver.delete_all_cookies()
        driver.add_cookie({"name": "next-auth.session-token", "value": other, "path": "/"})
        driver.get(server.origin + "/account")
        self.assertEqual(urllib.parse.urlparse(driver.current_url).path, "/signin")


def kid(token):
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


if __name__ == "__main__":
    unittest.main(verbosity=2)
