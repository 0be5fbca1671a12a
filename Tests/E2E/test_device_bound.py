"""Browser tests of device-bound sessions (W3C DBSC, issue 30) against Examples/SignInService
(make e2e): Debian's Chromium started with the DBSC features and software keys, over https with a
throw-away CA that only these browsers trust (a temporary NSS database in a temporary HOME).

Two example processes share the keys and the SQLite revocation store (one --data folder), as two
nodes of one service: A serves the device-bound browsers, B is "another node" for sign-out
everywhere and serves the browser without the features. Bound cookies live 130 s, so Chromium
refreshes about 10 s after each cookie (it refreshes when under 120 s remain, and only when a page
request goes out: the browsers load a page every 2 s). Chromium also signs at most 6 times in 9
minutes for a site, so no browser here registers and refreshes more than five times in all.

The scenarios run at the same time in threads started by setUpClass, because most of their time
is waiting (the copied cookies' test waits out a bound cookie's lifetime); each test method then
waits for its scenario and asserts on what the browser (DevTools events, the page), the server
(HTTP statuses, its log) and a plain HTTP client saw. A failure prints the nodes' logs and the
DevTools events of its scenario."""
import base64
import datetime
import http.client
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import traceback
import unittest
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from test_signin_service import BINARY, EMAIL, PASSWORD, click_and_wait, free_port

FEATURES = "DeviceBoundSessions,EnableBoundSessionCredentialsSoftwareKeysForManualTesting"
BOUND_SECONDS = 130
# Chromium refreshes when under 120 s remain, at the first page request after that.
REFRESH_AFTER = BOUND_SECONDS - 120
POLL_SECONDS = 2
# Refreshes the long scenario waits for before it stops browsing (see its body for why).
REFRESHES = 3
# How much later than its expiry a copied bound cookie is tried: clocks are the same here; this
# covers a loaded machine between the cookie's Max-Age and the request.
LEEWAY_SECONDS = 5
DEMO_PASSWORD = "demo users share this password"  # DemoUsers.sharedPassword in the example
REGISTERED = re.compile(r"device-bound session: registered\(")
REGISTRATION_ATTEMPT = re.compile(r"device-bound session: (registered|registrationRefused)\(")
BAD_SIGNATURE = re.compile(r"device-bound session: refreshRefused\(.*badSignature")


# Certificates and trust ------------------------------------------------------------------------


def make_certificates(folder):
    """A CA made for this run and a leaf for localhost and 127.0.0.1: (ca.pem, leaf.pem, leaf.key)."""
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    end = start + datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "swift-session-token e2e CA (this run only)")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = tuple(os.path.join(folder, name) for name in ("ca.pem", "leaf.pem", "leaf.key"))
    key_pem = leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    pems = (ca.public_bytes(serialization.Encoding.PEM), leaf.public_bytes(serialization.Encoding.PEM), key_pem)
    for path, data in zip(paths, pems):
        with open(path, "wb") as f:
            f.write(data)
    return paths


def trusting_home(parent, ca_pem):
    """A temporary HOME whose NSS database (Chromium's trust store on Linux) trusts `ca_pem`."""
    home = tempfile.mkdtemp(prefix="home-", dir=parent)
    database = "sql:" + os.path.join(home, ".pki", "nssdb")
    os.makedirs(database[4:])
    subprocess.run(["certutil", "-d", database, "-N", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-d", database, "-A", "-t", "C,,", "-n", "e2e-ca", "-i", ca_pem], check=True,
                   capture_output=True)
    return home


# The nodes --------------------------------------------------------------------------------------


class Node:
    """One SignInService process serving https on a free port, device-bound sessions on."""

    def __init__(self, name, data, keys, certificate, key, logs):
        self.name = name
        self.port = free_port()
        self.origin = f"https://localhost:{self.port}"
        environment = {k: v for k, v in os.environ.items() if k not in ("NEXTAUTH_SECRET", "SESSION_TOKEN_KEYS")}
        environment.update({"SESSION_TOKEN_KEYS": keys, "TLS_CERT": certificate, "TLS_KEY": key,
                            "ORIGIN": self.origin, "DBSC": "1", "DBSC_COOKIE_SECONDS": str(BOUND_SECONDS)})
        self.log_path = os.path.join(logs, name + ".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [BINARY, "--port", str(self.port), "--data", data, "--reload-interval", "1", "--demo-users", "4"],
            env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"node {name} did not start:\n{self.text()}")

    def text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def count(self, pattern):
        return len(pattern.findall(self.text()))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# Browsers and what DevTools tells about them ----------------------------------------------------


def start_browser(home, device_bound):
    """Headless Chromium with its own profile, trusting the run's CA through HOME; with the DBSC
    features when `device_bound`. DevTools' network events go to the performance log."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,800",
                 "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + os.path.join(home, "profile")):
        options.add_argument(flag)
    if device_bound:
        options.add_argument("--enable-features=" + FEATURES)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"), env=dict(os.environ, HOME=home),
                      log_output=os.path.join(home, "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    if device_bound:
        driver.execute_cdp_cmd("Network.enableDeviceBoundSessions", {"enable": True})
    return driver


class DevTools:
    """The DBSC events of one browser, and the responses that carried DBSC or Clear-Site-Data
    fields, read from its performance log as they come."""

    def __init__(self, driver):
        self.driver = driver
        self.events = []

    def drain(self):
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message.get("method", ""), message.get("params") or {}
            if method.startswith("Network.deviceBoundSession"):
                self.events.append({"at": entry["timestamp"] / 1000, "method": method, "params": params})
            elif method == "Network.responseReceivedExtraInfo":
                headers = {k.lower(): v for k, v in (params.get("headers") or {}).items()}
                if any(k.startswith("secure-session") or k == "clear-site-data" for k in headers):
                    self.events.append({"at": entry["timestamp"] / 1000, "method": method,
                                        "params": {"statusCode": params.get("statusCode"), "headers": headers}})
        return self.events

    def details(self, kind, session=None):
        """The `kind` details (creation, refresh, termination, challenge) of the DBSC events, with
        the event's time and session, for `session` or any."""
        found = []
        for event in self.drain():
            params = event["params"]
            if event["method"] != "Network.deviceBoundSessionEventOccurred" or kind + "EventDetails" not in params:
                continue
            if session is None or params.get("sessionId") == session:
                found.append(dict(params[kind + "EventDetails"], at=event["at"], sessionId=params.get("sessionId")))
        return found

    def responses_with(self, field):
        return [e["params"] for e in self.drain()
                if e["method"] == "Network.responseReceivedExtraInfo" and field in e["params"]["headers"]]

    def wait_for(self, kind, predicate=lambda d: True, timeout=20.0, session=None, tick=None):
        """The first `kind` detail that satisfies `predicate`, waiting up to `timeout` seconds;
        `tick` (a page load) runs every POLL_SECONDS meanwhile, since Chromium refreshes only when
        a request goes out. None when none came."""
        deadline = time.time() + timeout
        while True:
            matches = [d for d in self.details(kind, session) if predicate(d)]
            if matches:
                return matches[0]
            if time.time() >= deadline:
                return None
            time.sleep(POLL_SECONDS if tick else 0.25)
            if tick:
                tick()


def sign_in(driver, origin, email, password):
    driver.get(origin + "/signin")
    form = driver.find_element(By.ID, "signin-form")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(driver, "signin-submit")


def page(driver):
    """What /account's page says: (path, user or None, device-bound text or None)."""
    path = urllib.parse.urlparse(driver.current_url).path
    users = driver.find_elements(By.ID, "user-id")
    bound = driver.find_elements(By.ID, "device-bound")
    return path, users[0].text if users else None, bound[0].text if bound else None


def all_cookies(driver):
    """Every cookie of the profile, HttpOnly ones and those scoped to other paths included."""
    return driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]


# A client without the device key ----------------------------------------------------------------


class Client:
    """A plain https client with a cookie jar, as a thief with copied cookies would use."""

    def __init__(self, node, ca, cookies=None):
        self.node = node
        self.context = ssl.create_default_context(cafile=ca)
        self.cookies = dict(cookies or {})
        self.token = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers as lower-case name to list of values, body text)."""
        connection = http.client.HTTPSConnection("localhost", self.node.port, context=self.context, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        fields = {}
        for name, value in response.getheaders():
            fields.setdefault(name.lower(), []).append(value)
        for line in fields.get("set-cookie", []):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in line.lower() or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        connection.close()
        token = re.search(r'name="csrfToken" value="([^"]+)"', text)
        if token:
            self.token = token.group(1)
        return response.status, fields, text

    def post(self, path, fields):
        if self.token is None:
            self.request("GET", "/signin")
        body = urllib.parse.urlencode(dict(csrfToken=self.token, **fields))
        return self.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def own_key_proof(key, challenge):
    """A refresh proof as Chromium writes one ({alg, typ} over {jti}, raw r||s), signed with a key
    the server never registered."""
    signing_input = b64url(json.dumps({"alg": "ES256", "typ": "dbsc+jwt"}, separators=(",", ":")).encode()) + "." \
        + b64url(json.dumps({"jti": challenge}, separators=(",", ":")).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def challenge_of(field):
    """The challenge of a `Secure-Session-Challenge: "<challenge>";id="<session>"` field."""
    match = re.match(r'\s*"([^"]*)"', field or "")
    return match.group(1) if match else None


# The scenarios, run in threads ------------------------------------------------------------------


class Scenario(threading.Thread):
    """One browser story; `facts` is what it observed, `error` the traceback if it broke off."""

    def __init__(self, name, body):
        super().__init__(name=name, daemon=True)
        self.body = body
        self.facts = {}
        self.notes = []
        self.devtools = []
        self.error = None
        self.started_at = self.ended_at = None

    def note(self, text):
        self.notes.append(f"{time.time() - self.started_at:7.1f}s {text}")

    def browser(self, home, device_bound=True):
        driver = start_browser(home, device_bound)
        self.devtools.append(DevTools(driver))
        return driver, self.devtools[-1]

    def run(self):
        self.started_at = time.time()
        try:
            self.body(self)
        except Exception:
            self.error = traceback.format_exc()
        finally:
            for tools in self.devtools:
                try:
                    tools.drain()
                except Exception:
                    pass
                try:
                    tools.driver.quit()
                except Exception:
                    pass
            self.ended_at = time.time()


def sign_in_and_register(scenario, driver, tools, origin, email, password):
    """Signs in on a device-bound browser and waits for the registration; returns its details."""
    sign_in(driver, origin, email, password)
    scenario.facts["first_page"] = page(driver)
    created = tools.wait_for("creation", timeout=20)
    scenario.note(f"creation event: {created and created.get('fetchResult')}")
    if created is None:
        raise AssertionError("no DBSC creation event within 20 s of signing in")
    return created


def stays_signed_in_while_a_copy_does_not(ctx):
    """(a), (b), (c): one device-bound browser on node A, and its cookies copied into a client."""
    def body(s):
        driver, tools = s.browser(trusting_home(ctx.work, ctx.ca))
        created = sign_in_and_register(s, driver, tools, ctx.a.origin, EMAIL, PASSWORD)
        s.facts["created"] = created
        session = created["sessionId"]
        s.facts["registrations_logged"] = ctx.a.count(REGISTERED)
        driver.get(ctx.a.origin + "/account")
        s.facts["after_registration"] = page(driver)

        # The cookies as a thief copies them, every one (HttpOnly, the ticket's path) at once.
        cookies = [c for c in all_cookies(driver) if c["domain"] in ("localhost", ".localhost")]
        s.facts["copied"] = [{k: c[k] for k in ("name", "path", "httpOnly", "secure", "expires")} for c in cookies]
        copy = Client(ctx.a, ctx.ca, {c["name"]: c["value"] for c in cookies})
        bound_name = created["newSession"]["cookieCravings"][0]["name"]
        bound = next((c for c in cookies if c["name"] == bound_name), None)
        if bound is None:
            raise AssertionError(f"no bound cookie {bound_name} among the copied cookies")
        s.facts["bound_expires_in"] = bound["expires"] - time.time()
        status, headers, text = copy.request("GET", "/account")
        s.facts["copy_before_expiry"] = (status, 'id="user-id">user-ada<' in text)
        # The bearer cookie of the sign-in response (before the registration): retired at once.
        bearer = None
        for response in tools.responses_with("secure-session-registration"):
            for line in response["headers"].get("set-cookie", "").split("\n"):
                if line.startswith(bound_name + "="):
                    bearer = line.split(";", 1)[0].partition("=")[2]
        s.facts["bearer_found"] = bearer is not None
        if bearer:
            status, headers, _ = Client(ctx.a, ctx.ca, {bound_name: bearer}).request("GET", "/account")
            s.facts["bearer_after_registration"] = (status, headers.get("location"))

        # The browser loads a page every 2 s until it has refreshed REFRESHES times, then waits
        # quietly until the copied bound cookie has expired. Quietly, because Chromium signs at
        # most 6 times in 9 minutes for a site, registration included: browsing on with 130 s
        # cookies (a refresh every 10 s) runs out after five refreshes, and the session then
        # lapses when its last cookie expires (measured: SigningQuotaExceeded 62 s after
        # registration, signed out at 182 s). The page loaded after the wait triggers one more.
        expired_at = bound["expires"] + LEEWAY_SECONDS
        while time.time() < expired_at:
            time.sleep(POLL_SECONDS)
            if len(tools.details("refresh", session)) < REFRESHES:
                driver.get(ctx.a.origin + "/account")
        s.note("the copied bound cookie has expired")
        status, headers, text = copy.request("GET", "/account")
        s.facts["copy_after_expiry"] = (status, headers.get("location"), 'id="user-id"' in text)

        # The thief's own refresh: the ticket gets a challenge, which its own key cannot answer.
        refusals = ctx.a.count(BAD_SIGNATURE)
        status, headers, _ = copy.request("POST", "/dbsc/refresh", headers={"Sec-Secure-Session-Id": session})
        challenge = challenge_of((headers.get("secure-session-challenge") or [None])[0])
        s.facts["thief_first_refresh"] = (status, challenge is not None)
        if challenge:
            proof = own_key_proof(ec.generate_private_key(ec.SECP256R1()), challenge)
            status, headers, _ = copy.request("POST", "/dbsc/refresh", headers={
                "Sec-Secure-Session-Id": session, "Secure-Session-Response": proof})
            s.facts["thief_signed_refresh"] = (status, [v for v in headers.get("set-cookie", [])
                                                         if v.startswith(bound_name + "=")])
            time.sleep(0.5)
            s.facts["bad_signatures_logged"] = ctx.a.count(BAD_SIGNATURE) - refusals
        status, headers, text = copy.request("GET", "/account")
        s.facts["copy_at_end"] = (status, headers.get("location"))

        # Meanwhile the browser, with its key, went on.
        driver.get(ctx.a.origin + "/account")
        s.facts["browser_at_end"] = page(driver)
        s.facts["browser_at_end_after_copy_expiry"] = time.time() > bound["expires"]
        time.sleep(1)  # the refresh that page triggered runs beside it
        s.facts["refreshes"] = tools.details("refresh", session)
        s.facts["refreshed"] = [d for d in s.facts["refreshes"] if d.get("refreshResult") == "Refreshed"]
        s.facts["terminated"] = tools.details("termination", session)
    return body


def sign_out_ends_it(ctx):
    """(d): #signout on a device-bound browser on node A."""
    def body(s):
        driver, tools = s.browser(trusting_home(ctx.work, ctx.ca))
        created = sign_in_and_register(s, driver, tools, ctx.a.origin, "user-1@example.com", DEMO_PASSWORD)
        session = created["sessionId"]
        driver.get(ctx.a.origin + "/account")
        s.facts["before"] = page(driver)
        click_and_wait(driver, "signout")
        s.facts["signed_out_at"] = time.time()
        s.facts["after_signout"] = page(driver)
        s.facts["clear_site_data"] = [r["statusCode"] for r in tools.responses_with("clear-site-data")]
        ended = tools.wait_for("termination", session=session, timeout=25,
                               tick=lambda: driver.get(ctx.a.origin + "/account"))
        s.facts["termination"] = ended
        s.note(f"termination: {ended}")
        driver.get(ctx.a.origin + "/account")
        s.facts["account_after"] = page(driver)
        s.facts["ticket_left"] = [c["name"] for c in all_cookies(driver) if "dbsc-ticket" in c["name"]]
        # Ended means ended: more page loads bring no refresh of that session.
        refreshes = len(tools.details("refresh", session))
        for _ in range(2):
            time.sleep(POLL_SECONDS)
            driver.get(ctx.a.origin + "/account")
        s.facts["refreshes_after_end"] = len(tools.details("refresh", session)) - refreshes
        s.facts["refresh_details"] = tools.details("refresh", session)
    return body


def everywhere_on_another_node(ctx):
    """(e): a device-bound browser on node A; the same user signs out everywhere on node B."""
    def body(s):
        driver, tools = s.browser(trusting_home(ctx.work, ctx.ca))
        email = "user-2@example.com"
        created = sign_in_and_register(s, driver, tools, ctx.a.origin, email, DEMO_PASSWORD)
        session = created["sessionId"]
        driver.get(ctx.a.origin + "/account")
        s.facts["before"] = page(driver)
        other = Client(ctx.b, ctx.ca)
        status, headers, _ = other.post("/signin", {"email": email, "password": DEMO_PASSWORD})
        s.facts["b_signin"] = (status, headers.get("location"))
        other.request("GET", "/account")  # the signed-in page's CSRF token
        status, headers, _ = other.post("/signout-everywhere", {})
        s.facts["b_everywhere"] = (status, headers.get("location"))
        s.facts["everywhere_at"] = time.time()
        s.note("signed out everywhere on node B")
        pages = s.facts["pages_after"] = []

        def tick():
            driver.get(ctx.a.origin + "/account")
            pages.append((round(time.time() - s.facts["everywhere_at"], 1), page(driver)[0]))

        ended = tools.wait_for("termination", session=session, timeout=BOUND_SECONDS + LEEWAY_SECONDS, tick=tick)
        s.facts["termination"] = ended
        s.facts["refresh_details"] = tools.details("refresh", session)
        s.note(f"termination: {ended}")
        driver.get(ctx.a.origin + "/account")
        s.facts["account_after"] = page(driver)
    return body


def no_features_no_binding(ctx):
    """(f): Chromium without the DBSC features, on node B (where no other browser signs in)."""
    def body(s):
        before = ctx.b.count(REGISTRATION_ATTEMPT)
        driver, tools = s.browser(trusting_home(ctx.work, ctx.ca), device_bound=False)
        sign_in(driver, ctx.b.origin, "user-3@example.com", DEMO_PASSWORD)
        s.facts["offers_received"] = len(tools.responses_with("secure-session-registration"))
        pages = [page(driver)]
        for _ in range(3):
            time.sleep(POLL_SECONDS)
            driver.get(ctx.b.origin + "/account")
            pages.append(page(driver))
        s.facts["pages"] = pages
        session_cookies = [c for c in all_cookies(driver) if c["name"].endswith("session-token")]
        s.facts["session_cookie_lifetime"] = [c["expires"] - time.time() for c in session_cookies]
        s.facts["registration_attempts"] = ctx.b.count(REGISTRATION_ATTEMPT) - before
        s.facts["dbsc_events"] = [e for e in tools.drain() if e["method"].startswith("Network.deviceBound")]
    return body


def summary(name, facts):
    """A line of what a scenario measured, for the log of a passing run too."""
    try:
        if name == "bound":
            created = facts["created"]["at"]
            return (f"first page after the sign-in redirect {facts['first_page']}; refreshes at "
                    + ", ".join(f"{d['at'] - created:.1f}" for d in facts["refreshed"]) + " s after registration")
        if name == "signout":
            ended = facts["termination"]
            refreshes = [(d.get("fetchResult"), d.get("refreshResult")) for d in facts["refresh_details"]]
            return (f"ended {ended['at'] - facts['signed_out_at']:.1f} s after #signout "
                    f"({ended.get('deletionReason')}); refreshes {refreshes}; "
                    f"Clear-Site-Data on {facts['clear_site_data']}")
        if name == "everywhere":
            ended = facts["termination"]
            return (f"ended {ended['at'] - facts['everywhere_at']:.1f} s after sign-out everywhere on node B; "
                    f"node A's /account (s after, path): {facts['pages_after']}")
        return f"pages {facts['pages']}; registration attempts {facts['registration_attempts']}"
    except (KeyError, TypeError) as error:
        return f"(incomplete: {error!r})"


class Context:
    """The run's certificates, nodes and scenarios."""

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="dbsc-e2e-")
        self.ca, certificate, key = make_certificates(self.work)
        data = os.path.join(self.work, "data")
        keys = "k1:" + b64url(os.urandom(32))
        self.a = Node("node-a", data, keys, certificate, key, self.work)
        try:
            self.b = Node("node-b", data, keys, certificate, key, self.work)
        except Exception:
            self.a.stop()
            raise

    def stop(self):
        for node in (self.a, self.b):
            node.stop()
        if os.environ.get("E2E_KEEP") is None:
            shutil.rmtree(self.work, ignore_errors=True)


class DeviceBoundSessionTests(unittest.TestCase):
    ctx = None
    scenarios = {}
    started = None

    @classmethod
    def setUpClass(cls):
        cls.started = time.time()
        cls.ctx = Context()
        stories = [("bound", stays_signed_in_while_a_copy_does_not), ("signout", sign_out_ends_it),
                   ("everywhere", everywhere_on_another_node), ("plain", no_features_no_binding)]
        cls.scenarios = {name: Scenario(name, story(cls.ctx)) for name, story in stories}
        for scenario in cls.scenarios.values():
            scenario.start()
            time.sleep(1)  # the browsers' start-ups one after another, on a small machine

    @classmethod
    def tearDownClass(cls):
        for scenario in cls.scenarios.values():
            scenario.join(timeout=300)
        cls.ctx.stop()
        print(f"\ndevice-bound tests: {time.time() - cls.started:.1f} s wall time; scenarios "
              + ", ".join(f"{n} {s.ended_at - s.started_at:.1f} s" for n, s in cls.scenarios.items()
                          if s.ended_at and s.started_at))
        for name, scenario in cls.scenarios.items():
            print(f"  {name}: " + "; ".join(scenario.notes + [summary(name, scenario.facts)]))

    def scenario(self, name):
        """The scenario's facts once it has finished; a failure shows what it saw."""
        scenario = self.scenarios[name]
        scenario.join(timeout=BOUND_SECONDS + 150)
        self.current = scenario
        if scenario.is_alive():
            self.fail(f"scenario {name} still running" + self.evidence())
        if scenario.error:
            self.fail(f"scenario {name} broke off:\n{scenario.error}" + self.evidence())
        return scenario.facts

    def evidence(self):
        scenario = self.current
        events = [e for tools in scenario.devtools for e in tools.events]
        lines = ["", "--- notes", *scenario.notes,
                 "--- facts", json.dumps(scenario.facts, indent=1, default=str)[:8000],
                 "--- DevTools DBSC events and DBSC responses"]
        lines += [json.dumps(e, default=str)[:1500] for e in events[-60:]]
        for node in (self.ctx.a, self.ctx.b):
            lines += [f"--- {node.name} log (last 80 lines)", *node.text().splitlines()[-80:]]
        return "\n".join(lines)

    def check(self, condition, message):
        if not condition:
            self.fail(message + self.evidence())

    # (a)
    def test_a_signing_in_registers_from_the_sign_in_redirect_and_the_account_is_device_bound(self):
        facts = self.scenario("bound")
        created = facts["created"]
        self.check(created.get("fetchResult") == "Success", f"creation fetchResult {created.get('fetchResult')}")
        new = created["newSession"]
        self.check(new["refreshUrl"].endswith("/dbsc/refresh"), f"refresh URL {new['refreshUrl']}")
        self.check([c["name"] for c in new["cookieCravings"]] == ["__Host-next-auth.session-token"],
                   f"bound cookie {new['cookieCravings']}")
        self.check(facts["registrations_logged"] >= 1, "node A logged no registration")
        self.check(facts["after_registration"] == ("/account", "user-ada", "yes"),
                   f"/account after registration: {facts['after_registration']}")
        self.check(BOUND_SECONDS - 15 < facts["bound_expires_in"] <= BOUND_SECONDS,
                   f"the bound cookie lives {facts['bound_expires_in']:.0f} s, not about {BOUND_SECONDS}")
        ticket = [c for c in facts["copied"] if c["name"] == "__Secure-dbsc-ticket"]
        self.check(len(ticket) == 1 and ticket[0]["path"] == "/dbsc/refresh" and ticket[0]["httpOnly"]
                   and ticket[0]["secure"], f"ticket cookie {ticket}")

    # (b)
    def test_b_the_browser_stays_signed_in_across_refreshes(self):
        facts = self.scenario("bound")
        self.check(len(facts["refreshed"]) >= 2, f"{len(facts['refreshed'])} refreshes, wanted 2 or more")
        failed = [d for d in facts["refreshes"] if d.get("refreshResult") != "Refreshed"]
        self.check(failed == [], f"refreshes that did not refresh: {failed}")
        self.check(facts["terminated"] == [], f"the session ended: {facts['terminated']}")
        self.check(facts["browser_at_end"] == ("/account", "user-ada", "yes"),
                   f"at the end: {facts['browser_at_end']}")
        self.check(facts["browser_at_end_after_copy_expiry"],
                   "the browser's last page came before its first cookie expired")

    # (c)
    def test_c_copied_cookies_stop_working_when_the_bound_cookie_expires(self):
        facts = self.scenario("bound")
        self.check(facts["copy_before_expiry"] == (200, True),
                   f"the copy before expiry: {facts['copy_before_expiry']}")
        self.check(facts["bearer_found"], "no bearer session cookie in the sign-in response's Set-Cookie")
        self.check(facts.get("bearer_after_registration") == (303, ["/signin"]),
                   f"the sign-in's bearer cookie after registration: {facts.get('bearer_after_registration')}")
        self.check(facts["copy_after_expiry"] == (303, ["/signin"], False),
                   f"the copy after the bound cookie expired: {facts['copy_after_expiry']}")
        self.check(facts["thief_first_refresh"] == (403, True),
                   f"refresh without a proof: {facts['thief_first_refresh']}")
        self.check(facts.get("thief_signed_refresh") == (401, []),
                   f"refresh signed with another key: {facts.get('thief_signed_refresh')}")
        self.check(facts.get("bad_signatures_logged") == 1, "node A did not log the refusal as a bad signature")
        self.check(facts["copy_at_end"] == (303, ["/signin"]), f"the copy at the end: {facts['copy_at_end']}")

    # (d)
    def test_d_sign_out_ends_the_device_bound_session(self):
        facts = self.scenario("signout")
        self.check(facts["before"] == ("/account", "user-1", "yes"), f"before: {facts['before']}")
        self.check(facts["after_signout"][0] == "/signin", f"after #signout: {facts['after_signout']}")
        ended = facts["termination"]
        self.check(ended is not None, "no DBSC termination event within 25 s of signing out")
        self.check(ended["at"] - facts["signed_out_at"] < 25, "the termination came too late")
        self.check(facts["account_after"][0] == "/signin", f"/account after: {facts['account_after']}")
        self.check(facts["ticket_left"] == [], f"the ticket is still in the browser: {facts['ticket_left']}")
        self.check(facts["refreshes_after_end"] == 0, "the ended session still refreshes")

    # (e)
    def test_e_sign_out_everywhere_on_another_node_reaches_the_bound_session(self):
        facts = self.scenario("everywhere")
        self.check(facts["before"] == ("/account", "user-2", "yes"), f"before: {facts['before']}")
        self.check(facts["b_signin"] == (303, ["/account"]), f"sign-in on node B: {facts['b_signin']}")
        self.check(facts["b_everywhere"] == (303, ["/signin"]), f"sign out everywhere on B: {facts['b_everywhere']}")
        ended = facts["termination"]
        self.check(ended is not None, f"no DBSC termination within {BOUND_SECONDS + LEEWAY_SECONDS} s")
        self.check(ended.get("deletionReason") == "ServerRequested", f"termination {ended}")
        self.check(ended["at"] - facts["everywhere_at"] <= BOUND_SECONDS + LEEWAY_SECONDS, "too late")
        self.check(any(d.get("fetchResult") == "ServerRequestedTermination" for d in facts["refresh_details"]),
                   "no refresh answered with the end of the session")
        self.check(facts["account_after"][0] == "/signin", f"/account on node A after: {facts['account_after']}")

    # (f)
    def test_f_a_browser_without_the_features_keeps_an_ordinary_session(self):
        facts = self.scenario("plain")
        self.check(facts["offers_received"] >= 1, "the sign-in response made no registration offer")
        self.check(all(p == ("/account", "user-3", "no") for p in facts["pages"]), f"pages: {facts['pages']}")
        lifetimes = facts["session_cookie_lifetime"]
        self.check(len(lifetimes) == 1 and lifetimes[0] > 29 * 86_400, f"session cookie lifetimes {lifetimes}")
        self.check(facts["registration_attempts"] == 0, f"{facts['registration_attempts']} registrations on node B")
        self.check(facts["dbsc_events"] == [], "DBSC events in a browser without the features")


if __name__ == "__main__":
    unittest.main(verbosity=2)
