#!/usr/bin/env python3
"""Capture Device Bound Session Credentials (DBSC) JWTs from a local Chromium.

Plays the server side of DBSC over HTTPS on 127.0.0.1 (throw-away CA trusted in a
temporary NSS database), drives headless Chromium through Selenium, records every
request, the DevTools DBSC events and the net-log DBSC events, verifies every JWT
with `cryptography`, and writes test vectors plus raw observations.

Usage (one command, from this directory):
    nice -n 10 venv/bin/python capture_chromium.py            # all scenarios
    nice -n 10 venv/bin/python capture_chromium.py es256 rs256 # a subset

Outputs (next to this script):
    chromium-156.json      test vectors (public keys and signatures only)
    observations.json      per-scenario facts: request headers, timings, CDP/net-log events
    requests.jsonl         every request the server saw (method, path, headers, status)
"""
import base64
import datetime
import http.server
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import cryptography
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FEATURES = "DeviceBoundSessions,EnableBoundSessionCredentialsSoftwareKeysForManualTesting"


# --------------------------------------------------------------------------- helpers

def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def make_challenge():
    """~200 characters of the base64url alphabet, five segments joined with '.'."""
    return ".".join(secrets.token_urlsafe(29)[:39] for _ in range(5))


def now():
    return time.monotonic()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pki(d):
    """Throw-away CA and a leaf for localhost / 127.0.0.1; returns (ca.pem, leaf.pem, leaf.key)."""
    import ipaddress
    t0 = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    t1 = t0 + datetime.timedelta(days=2)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dbsc-capture throw-away CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(t0).not_valid_after(t1)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(t0).not_valid_after(t1)
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = [os.path.join(d, n) for n in ("ca.pem", "leaf.pem", "leaf.key")]
    with open(paths[0], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as f:
        f.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], "wb") as f:
        f.write(leaf_key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return paths


def make_nssdb(home, ca_pem):
    db = os.path.join(home, ".pki", "nssdb")
    os.makedirs(db, exist_ok=True)
    subprocess.run(["certutil", "-d", "sql:" + db, "-N", "--empty-password"], check=True)
    subprocess.run(["certutil", "-d", "sql:" + db, "-A", "-t", "C,,", "-n", "test", "-i", ca_pem],
                   check=True)


# --------------------------------------------------------------------------- JWT verification

def parse_jwt(token):
    h, p, s = token.split(".")
    return json.loads(b64url_decode(h)), json.loads(b64url_decode(p)), b64url_decode(s)


def public_key_from_jwk(jwk):
    if jwk["kty"] == "EC":
        assert jwk["crv"] == "P-256", jwk
        x = int.from_bytes(b64url_decode(jwk["x"]), "big")
        y = int.from_bytes(b64url_decode(jwk["y"]), "big")
        return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    if jwk["kty"] == "RSA":
        n = int.from_bytes(b64url_decode(jwk["n"]), "big")
        e = int.from_bytes(b64url_decode(jwk["e"]), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    raise ValueError("unsupported kty %r" % jwk.get("kty"))


def verify_jwt(token, jwk, alg):
    """True when `token` is signed by `jwk` with `alg` (ES256 raw r||s, RS256 PKCS#1 v1.5)."""
    h, p, s = token.split(".")
    signing_input = (h + "." + p).encode()
    sig = b64url_decode(s)
    key = public_key_from_jwk(jwk)
    try:
        if alg == "ES256":
            if len(sig) != 64:
                return False
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        elif alg == "RS256":
            key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
        return True
    except InvalidSignature:
        return False


# --------------------------------------------------------------------------- scenarios

# refresh modes: normal (403 challenge, then 200 + pushed challenge), continue_false,
# status_401, status_500
SCENARIOS = {
    "es256": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=150, refresh_max_age=150,
                  refresh_mode="normal", want_refreshes=2, extra_cookies=True, timeout=150),
    "rs256": dict(offer=["RS256"], authorization=None, reg_max_age=150, refresh_max_age=150,
                  refresh_mode="normal", want_refreshes=2, extra_cookies=False, timeout=150),
    "authorization": dict(offer=["ES256", "RS256"], authorization="auth-code-" + secrets.token_urlsafe(12),
                          reg_max_age=60, refresh_max_age=600, refresh_mode="normal", want_refreshes=1,
                          extra_cookies=False, timeout=60),
    "continue-false": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=60,
                           refresh_max_age=600, refresh_mode="continue_false", want_refreshes=1,
                           extra_cookies=False, timeout=60, linger=12),
    "refresh-401": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=60,
                        refresh_max_age=600, refresh_mode="status_401", want_refresh_posts=1,
                        extra_cookies=False, timeout=60, linger=12),
    "refresh-500": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=60,
                        refresh_max_age=600, refresh_mode="status_500", want_refresh_posts=1,
                        extra_cookies=False, timeout=60, linger=25),
    "clear-site-data": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=60,
                            refresh_max_age=600, refresh_mode="normal", want_refreshes=1,
                            extra_cookies=False, timeout=60, clear_after_refresh=True, linger=12),
    # same, with the wildcard directive
    "clear-site-data-star": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=60,
                                 refresh_max_age=600, refresh_mode="normal", want_refreshes=1,
                                 extra_cookies=False, timeout=60, clear_after_refresh=True,
                                 clear_value='"*"', linger=12),
    # {"continue": false} together with the session_identifier
    "continue-false-with-id": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=60,
                                   refresh_max_age=600, refresh_mode="continue_false_with_id",
                                   want_refreshes=1, extra_cookies=False, timeout=60, linger=12),
    # cookie enters the 120 s window 5 s after registration; no page requests for 25 s:
    # does Chromium refresh on a timer, or only when a request goes out?
    "idle-timer": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=125,
                       refresh_max_age=600, refresh_mode="normal", want_refreshes=1,
                       extra_cookies=False, timeout=60, idle=25),
    # bound cookie expires after 3 s and every refresh answers 500: what do page requests carry?
    "refresh-500-missing": dict(offer=["ES256", "RS256"], authorization=None, reg_max_age=3,
                                refresh_max_age=600, refresh_mode="status_500", want_refresh_posts=1,
                                extra_cookies=False, timeout=60, linger=30),
}


class State:
    def __init__(self, name, cfg, port, log):
        self.name, self.cfg, self.port, self.log = name, cfg, port, log
        self.origin = "https://localhost:%d" % port
        self.lock = threading.Lock()
        self.t0 = now()
        self.challenge_reg = make_challenge()
        self.sid = "sid-" + secrets.token_urlsafe(16)
        self.registrations = []      # dicts with jwt, headers, t
        self.refresh_posts = []      # every POST /dbsc/refresh
        self.refresh_jwts = []       # dicts with jwt, challenge, how ("after-403" | "pushed"), t
        self.outstanding = None      # (challenge, how) last challenge we issued
        self.requests = []
        self.reg_cookie_set_at = None
        self.cookie_set_at = None    # time the latest bound cookie was set
        self.cookie_max_age = None

    def t(self):
        return round(now() - self.t0, 3)


def make_handler(st):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def _send(self, status, headers=(), body=b""):
            if isinstance(body, str):
                body = body.encode()
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return status, list(headers)

        def _record(self, status, sent_headers, extra=None):
            rec = {"scenario": st.name, "t": st.t(), "method": self.command, "path": self.path,
                   "headers": [[k, v] for k, v in self.headers.items()],
                   "status": status, "response_headers": sent_headers}
            if extra:
                rec.update(extra)
            with st.lock:
                st.requests.append(rec)
                st.log.write(json.dumps(rec) + "\n")
                st.log.flush()
            return rec

        def do_GET(self):
            path = self.path.split("?")[0]
            cfg = st.cfg
            if path == "/signin":
                offer = "(" + " ".join(cfg["offer"]) + ")"
                reg = '%s;path="/dbsc/register";challenge="%s"' % (offer, st.challenge_reg)
                if cfg.get("authorization"):
                    reg += ';authorization="%s"' % cfg["authorization"]
                hs = [("Set-Cookie", "plain=plain-%s; Path=/; Secure; HttpOnly; SameSite=Lax" % st.name),
                      ("Secure-Session-Registration", reg), ("Content-Type", "text/html")]
                r = self._send(200, hs, "<html><body>signed in</body></html>")
            elif path == "/clear":
                r = self._send(200, [("Clear-Site-Data", cfg.get("clear_value", '"cookies"')),
                                     ("Content-Type", "text/html")],
                               "<html><body>cleared</body></html>")
            elif path == "/favicon.ico":
                r = self._send(404, [], b"")
            else:
                r = self._send(200, [("Content-Type", "text/html")], "<html><body>page</body></html>")
            self._record(*r)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            path = self.path.split("?")[0]
            cfg = st.cfg
            resp_jwt = self.headers.get("Secure-Session-Response")
            extra = {"body": body.decode("latin-1")}
            if path == "/dbsc/register":
                instructions = {
                    "session_identifier": st.sid,
                    "refresh_url": "/dbsc/refresh",
                    "scope": {"origin": st.origin, "include_site": False},
                    "credentials": [{"type": "cookie", "name": "bound",
                                     "attributes": "Path=/; Secure; HttpOnly; SameSite=Lax"}],
                }
                hs = [("Content-Type", "application/json"),
                      ("Set-Cookie", "bound=reg-%s; Max-Age=%d; Path=/; Secure; HttpOnly; SameSite=Lax"
                       % (secrets.token_hex(4), cfg["reg_max_age"]))]
                if cfg.get("extra_cookies"):
                    hs.append(("Set-Cookie", "__Secure-ticket=tkt-%s; Path=/dbsc/; Secure; HttpOnly; SameSite=Strict"
                               % secrets.token_hex(4)))
                    hs.append(("Set-Cookie", "__Host-hostdbsc=h-%s; Path=/dbsc/; Secure; HttpOnly; SameSite=Strict"
                               % secrets.token_hex(4)))
                    hs.append(("Set-Cookie", "__Host-hostroot=h-%s; Path=/; Secure; HttpOnly; SameSite=Strict"
                               % secrets.token_hex(4)))
                r = self._send(200, hs, json.dumps(instructions))
                with st.lock:
                    st.registrations.append({"jwt": resp_jwt, "t": st.t(), "challenge": st.challenge_reg})
                    st.reg_cookie_set_at = st.cookie_set_at = st.t()
                    st.cookie_max_age = cfg["reg_max_age"]
                extra["instructions"] = instructions
            elif path == "/dbsc/refresh":
                mode = cfg["refresh_mode"]
                with st.lock:
                    st.refresh_posts.append({"t": st.t(), "has_response": resp_jwt is not None})
                    outstanding = st.outstanding
                if mode == "status_401":
                    r = self._send(401, [("Content-Type", "text/plain")], "unauthorized")
                elif mode == "status_500":
                    r = self._send(500, [("Content-Type", "text/plain")], "store down")
                elif resp_jwt is None or outstanding is None:
                    c = make_challenge()
                    with st.lock:
                        st.outstanding = (c, "after-403")
                    r = self._send(403, [("Secure-Session-Challenge", '"%s";id="%s"' % (c, st.sid))], b"")
                else:
                    c, how = outstanding
                    with st.lock:
                        st.refresh_jwts.append({"jwt": resp_jwt, "challenge": c, "how": how, "t": st.t()})
                    if mode in ("continue_false", "continue_false_with_id"):
                        body = {"continue": False}
                        if mode == "continue_false_with_id":
                            body = {"session_identifier": st.sid, "continue": False}
                        r = self._send(200, [("Content-Type", "application/json")], json.dumps(body))
                        with st.lock:
                            st.outstanding = None
                    else:
                        c3 = make_challenge()
                        with st.lock:
                            st.outstanding = (c3, "pushed")
                            st.cookie_set_at = st.t()
                            st.cookie_max_age = cfg["refresh_max_age"]
                        r = self._send(200, [
                            ("Set-Cookie", "bound=ref-%s; Max-Age=%d; Path=/; Secure; HttpOnly; SameSite=Lax"
                             % (secrets.token_hex(4), cfg["refresh_max_age"])),
                            ("Secure-Session-Challenge", '"%s";id="%s"' % (c3, st.sid))], b"")
            else:
                r = self._send(404, [], b"")
            self._record(*r, extra=extra)

    return H


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


# --------------------------------------------------------------------------- browser

def start_browser(home, netlog):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--no-default-browser-check", "--user-data-dir=" + os.path.join(home, "profile"),
              "--enable-features=" + FEATURES, "--log-net-log=" + netlog,
              "--net-log-capture-mode=Everything"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    env = dict(os.environ, HOME=home)
    svc = Service(executable_path=CHROMEDRIVER, env=env,
                  log_output=os.path.join(home, "chromedriver.log"))
    drv = webdriver.Chrome(options=opts, service=svc)
    drv.set_page_load_timeout(60)
    return drv


def drain_perf(drv, sink):
    try:
        for e in drv.get_log("performance"):
            m = json.loads(e["message"])["message"]
            meth = m.get("method", "")
            if "deviceboundsession" in meth.lower():
                sink.append({"ts": e["timestamp"], "method": meth, "params": m.get("params")})
            elif meth == "Network.responseReceivedExtraInfo" and (m.get("params") or {}).get("blockedCookies"):
                prm = m["params"]
                sink.append({"ts": e["timestamp"], "method": meth,
                             "params": {"blockedCookies": prm["blockedCookies"],
                                        "statusCode": prm.get("statusCode")}})
    except Exception as ex:  # noqa
        sink.append({"error": repr(ex)})


def read_netlog(path):
    """Tolerant reader (file is truncated when the browser is killed); DBSC events only."""
    try:
        raw = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return {"error": "no netlog"}
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
        txt = raw.rstrip().rstrip(",")
        for suffix in ("]}", "}]}", "]"):
            try:
                data = json.loads(txt + suffix)
                break
            except ValueError:
                continue
        if data is None:
            return {"error": "unparsable netlog", "bytes": len(raw)}
    consts = data.get("constants", {})
    types = {v: k for k, v in consts.get("logEventTypes", {}).items()}
    phases = {v: k for k, v in consts.get("logEventPhase", {}).items()}
    out = []
    for ev in data.get("events", []):
        name = types.get(ev.get("type"), str(ev.get("type")))
        if "DBSC" in name or "DEVICE_BOUND" in name:
            out.append({"type": name, "phase": phases.get(ev.get("phase")), "time": ev.get("time"),
                        "params": ev.get("params")})
    return {"events": out, "dbsc_event_types": sorted({k for k in consts.get("logEventTypes", {})
                                                        if "DBSC" in k or "DEVICE_BOUND" in k})}


# --------------------------------------------------------------------------- one scenario

def run_scenario(name, cfg, log, workroot):
    home = tempfile.mkdtemp(prefix="dbsc-%s-" % name, dir=workroot)
    ca, leaf, key = make_pki(home)
    make_nssdb(home, ca)
    port = free_port()
    st = State(name, cfg, port, log)
    srv = Server(("127.0.0.1", port), make_handler(st))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(leaf, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    netlog = os.path.join(home, "netlog.json")
    cdp_events, notes = [], []
    page_loads = []
    drv = start_browser(home, netlog)
    started = now()
    cdp_ok = None
    try:
        drv.execute_cdp_cmd("Network.enable", {})
        try:
            drv.execute_cdp_cmd("Network.enableDeviceBoundSessions", {"enable": True})
            cdp_ok = True
        except Exception as ex:  # noqa
            cdp_ok = repr(ex)
        base = st.origin
        drv.get(base + "/signin")
        deadline = now() + cfg["timeout"]
        cleared = False
        linger_until = None
        i = 0
        while now() < deadline:
            time.sleep(2)
            if cfg.get("idle") and now() - started < cfg["idle"]:
                drain_perf(drv, cdp_events)
                continue  # no page requests during the idle period
            i += 1
            t_before = st.t()
            try:
                drv.get(base + "/page?n=%d" % i)
                page_loads.append({"n": i, "t_start": t_before, "t_end": st.t()})
            except Exception as ex:  # noqa
                page_loads.append({"n": i, "t_start": t_before, "error": repr(ex)[:300]})
            drain_perf(drv, cdp_events)
            with st.lock:
                nref = len(st.refresh_jwts)
                nposts = len(st.refresh_posts)
            done = False
            if "want_refreshes" in cfg and nref >= cfg["want_refreshes"]:
                done = True
            if "want_refresh_posts" in cfg and nposts >= cfg["want_refresh_posts"]:
                done = True
            if done and cfg.get("clear_after_refresh") and not cleared:
                cleared = True
                notes.append("GET /clear at t=%.3f" % st.t())
                drv.get(base + "/clear")
                drain_perf(drv, cdp_events)
                continue
            if done:
                if linger_until is None:
                    linger_until = now() + cfg.get("linger", 0)
                    notes.append("goal reached at t=%.3f; lingering %ss" % (st.t(), cfg.get("linger", 0)))
                if now() >= linger_until:
                    break
        else:
            notes.append("timeout after %ss" % cfg["timeout"])
        time.sleep(1)
        drain_perf(drv, cdp_events)
    finally:
        elapsed = round(now() - started, 1)
        try:
            drv.quit()
        except Exception:  # noqa
            pass
        srv.shutdown()
    time.sleep(1)
    nl = read_netlog(netlog)
    return st, {"scenario": name, "config": cfg, "origin": st.origin, "session_identifier": st.sid,
                "elapsed_s": elapsed, "cdp_enable_result": cdp_ok, "notes": notes,
                "page_loads": page_loads, "refresh_posts": st.refresh_posts,
                "registration_times": [r["t"] for r in st.registrations],
                "refresh_jwt_times": [(r["t"], r["how"]) for r in st.refresh_jwts],
                "cdp_events": cdp_events, "netlog": nl, "requests": st.requests,
                "workdir": home}


# --------------------------------------------------------------------------- main

def main(argv):
    names = argv or list(SCENARIOS)
    workroot = tempfile.mkdtemp(prefix="dbsc-capture-")
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    vectors, observations = [], {"chromium": version, "scenarios": {}}
    log = open(os.path.join(HERE, "requests.jsonl"), "w")
    for name in names:
        cfg = SCENARIOS[name]
        print("== scenario %s" % name, flush=True)
        st, obs = run_scenario(name, cfg, log, workroot)
        observations["scenarios"][name] = obs
        print("   %.1fs, registrations=%d refresh_posts=%d refresh_jwts=%d cdp_events=%d netlog_events=%s"
              % (obs["elapsed_s"], len(st.registrations), len(st.refresh_posts), len(st.refresh_jwts),
                 len(obs["cdp_events"]), len(obs["netlog"].get("events", []))), flush=True)
        prefix = name if name in ("es256", "rs256") else name
        reg_jwk = reg_alg = None
        for k, r in enumerate(st.registrations):
            if not r["jwt"]:
                continue
            h, p, _ = parse_jwt(r["jwt"])
            reg_jwk, reg_alg = h.get("jwk"), h.get("alg")
            ok = verify_jwt(r["jwt"], reg_jwk, reg_alg)
            vectors.append({"name": "%s-registration%s" % (prefix, "" if k == 0 else "-%d" % k),
                            "kind": "registration", "offered": cfg["offer"], "challenge": r["challenge"],
                            "authorization": cfg.get("authorization"), "jwt": r["jwt"],
                            "alg": reg_alg, "verified": ok, "jti_equals_challenge": p.get("jti") == r["challenge"]})
        counts = {}
        for r in st.refresh_jwts:
            h, p, _ = parse_jwt(r["jwt"])
            label = "refresh-after-403" if r["how"] == "after-403" else "refresh-pushed"
            counts[label] = counts.get(label, 0) + 1
            nm = "%s-%s%s" % (prefix, label, "" if counts[label] == 1 else "-%d" % counts[label])
            ok = verify_jwt(r["jwt"], reg_jwk, reg_alg) if reg_jwk else False
            vectors.append({"name": nm, "kind": "refresh", "offered": cfg["offer"], "challenge": r["challenge"],
                            "authorization": cfg.get("authorization"),
                            "registered_jwk": reg_jwk, "registered_alg": reg_alg, "jwt": r["jwt"],
                            "verified": ok, "jti_equals_challenge": p.get("jti") == r["challenge"]})
    log.close()
    out = {"generator": "capture_chromium.py", "chromium": version,
           "captured": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "verified_by": "python-cryptography %s" % cryptography.__version__,
           "vectors": vectors}
    suffix = "" if not argv else "-" + "-".join(argv)
    with open(os.path.join(HERE, "chromium-156%s.json" % suffix), "w") as f:
        json.dump(out, f, indent=2)
    with open(os.path.join(HERE, "observations%s.json" % suffix), "w") as f:
        json.dump(observations, f, indent=2)
    bad = [v["name"] for v in vectors if not v["verified"] or not v["jti_equals_challenge"]]
    print("vectors: %d, failed verification: %s" % (len(vectors), bad or "none"))
    shutil.rmtree(workroot, ignore_errors=True) if os.environ.get("DBSC_KEEP") is None else None
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
