#!/usr/bin/env python3
"""Generates csrf-vectors.json: CSRF cookie values computed independently of the Swift code,
with Python's hashlib and hmac, for SessionCookies' NextAuthCSRF and SignedCSRF.

next-auth (core/lib/csrf-token.ts): cookie value = token + "|" + sha256hex(token + secret),
written with "|" as "%7C". Verified when the hash matches and the form's csrfToken == token.

OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie": token = hmacHex + "." + random,
hmac = HMAC-SHA256(key, len(sessionID) + "!" + sessionID + "!" + len(random) + "!" + random).
Verified when the submitted token equals the cookie and the HMAC is right for the session.

Deterministic: tokens and keys come from SHA-256 of fixed labels, so re-running gives the same file.
Every case has an `expect` from a fixed set; failures outnumber successes.
Run: python3 Tests/Vectors/cookies/generate_csrf.py > Tests/Vectors/cookies/csrf-vectors.json
"""
import hashlib, hmac, json

def det(label, n=32):
    return hashlib.sha256(label.encode()).digest()[:n]

def nextauth_value(token, secret):
    return token + "|" + hashlib.sha256((token + secret).encode()).hexdigest()

def owasp_token(key, session_id, random_hex):
    msg = f"{len(session_id.encode())}!{session_id}!{len(random_hex)}!{random_hex}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest() + "." + random_hex

nextauth = []
secrets = ["secret", "a much longer NEXTAUTH_SECRET with spaces and ünïcödé", "x"]
for i, secret in enumerate(secrets):
    token = det(f"nextauth-token-{i}").hex()
    value = nextauth_value(token, secret)
    nextauth.append(dict(comment="valid, raw |", secret=secret, cookie=value, submitted=token, expect="success"))
    nextauth.append(dict(comment="valid, %7C as on the wire", secret=secret, cookie=value.replace("|", "%7C"),
                         submitted=token, expect="success"))
    other = det(f"nextauth-other-{i}").hex()
    nextauth.append(dict(comment="form token differs", secret=secret, cookie=value, submitted=other, expect="token mismatch"))
    nextauth.append(dict(comment="hash under another secret", secret=secret,
                         cookie=nextauth_value(token, secret + "!"), submitted=token, expect="hash mismatch"))
    h = value.split("|")[1]
    flipped = h[:-1] + ("0" if h[-1] != "0" else "1")
    nextauth.append(dict(comment="last hash digit changed", secret=secret, cookie=token + "|" + flipped,
                         submitted=token, expect="hash mismatch"))
    nextauth.append(dict(comment="uppercase token", secret=secret, cookie=nextauth_value(token.upper(), secret),
                         submitted=token.upper(), expect="malformed"))
nextauth += [
    dict(comment="no separator", secret="secret", cookie=det("n0").hex(), submitted=det("n0").hex(), expect="malformed"),
    dict(comment="empty cookie", secret="secret", cookie="", submitted="", expect="malformed"),
    dict(comment="short token", secret="secret", cookie=nextauth_value("abcd", "secret"), submitted="abcd", expect="malformed"),
    dict(comment="two separators", secret="secret",
         cookie=nextauth_value(det("n1").hex(), "secret") + "|x", submitted=det("n1").hex(), expect="malformed"),
    dict(comment="empty form token", secret="secret", cookie=nextauth_value(det("n2").hex(), "secret"), submitted="",
         expect="token mismatch"),
    dict(comment="form token is the whole cookie", secret="secret", cookie=nextauth_value(det("n3").hex(), "secret"),
         submitted=nextauth_value(det("n3").hex(), "secret"), expect="token mismatch"),
]
# The shapes a parser that reads the value in place must treat as the general decoder does:
# next-auth writes `%7C`; any other escape is decoded first, then parsed.
def escape_all(text):
    return "".join("%%%02X" % b for b in text.encode())
t4 = det("n4").hex()
v4 = nextauth_value(t4, "secret")
tok4, hash4 = v4.split("|")
nextauth += [
    dict(comment="%7c in lowercase", secret="secret", cookie=v4.replace("|", "%7c"), submitted=t4, expect="success"),
    dict(comment="every byte escaped", secret="secret", cookie=escape_all(v4), submitted=t4, expect="success"),
    dict(comment="%7C and one hash digit escaped", secret="secret",
         cookie=tok4 + "%7C" + escape_all(hash4[0]) + hash4[1:], submitted=t4, expect="success"),
    dict(comment="one token digit escaped, raw |", secret="secret",
         cookie=escape_all(tok4[0]) + tok4[1:] + "|" + hash4, submitted=t4, expect="success"),
    dict(comment="bad escape %7G", secret="secret", cookie=tok4 + "%7G" + hash4, submitted=t4, expect="malformed"),
    dict(comment="truncated escape at the end", secret="secret", cookie=v4.replace("|", "%7C") + "%7", submitted=t4,
         expect="malformed"),
    dict(comment="%7C and a raw | (two separators)", secret="secret", cookie=tok4 + "%7C|" + hash4, submitted=t4,
         expect="malformed"),
    dict(comment="double-encoded %257C", secret="secret", cookie=tok4 + "%257C" + hash4, submitted=t4, expect="malformed"),
    dict(comment="63-digit token", secret="secret", cookie=nextauth_value(t4[:63], "secret"), submitted=t4[:63],
         expect="malformed"),
    dict(comment="65-digit token", secret="secret", cookie=nextauth_value(t4 + "a", "secret"), submitted=t4 + "a",
         expect="malformed"),
    dict(comment="63-digit hash", secret="secret", cookie=tok4 + "%7C" + hash4[:63], submitted=t4, expect="malformed"),
    dict(comment="65-digit hash", secret="secret", cookie=tok4 + "%7C" + hash4 + "0", submitted=t4, expect="malformed"),
    dict(comment="uppercase hash", secret="secret", cookie=tok4 + "%7C" + hash4.upper(), submitted=t4,
         expect="hash mismatch"),
    dict(comment="token with a non-hex byte", secret="secret", cookie=nextauth_value("g" + t4[1:], "secret"),
         submitted="g" + t4[1:], expect="malformed"),
]

signed = []
keys = [det("owasp-key-0"), det("owasp-key-1")]
for i, key in enumerate(keys):
    for sid in ["session-1", "user-42:1800000000", "ünï"]:
        random_hex = det(f"owasp-random-{i}-{sid}").hex()
        token = owasp_token(key, sid, random_hex)
        signed.append(dict(comment="valid", key=key.hex(), sessionID=sid, cookie=token, submitted=token, expect="success"))
        signed.append(dict(comment="other session", key=key.hex(), sessionID=sid + "x", cookie=token, submitted=token,
                           expect="hmac mismatch"))
        other_key = keys[1 - i]
        signed.append(dict(comment="other key", key=other_key.hex(), sessionID=sid, cookie=token, submitted=token,
                           expect="hmac mismatch"))
        signed.append(dict(comment="submitted differs", key=key.hex(), sessionID=sid, cookie=token,
                           submitted=owasp_token(key, sid, det("x" + sid).hex()), expect="token mismatch"))
key = keys[0]
t = owasp_token(key, "s", det("r").hex())
# Length-prefixing keeps ("ab", "c...") and ("a", "bc...") apart.
signed += [
    dict(comment="random part only", key=key.hex(), sessionID="s", cookie=det("r").hex(), submitted=det("r").hex(),
         expect="malformed"),
    dict(comment="uppercase hmac", key=key.hex(), sessionID="s", cookie=t.upper(), submitted=t.upper(), expect="malformed"),
    dict(comment="missing submitted", key=key.hex(), sessionID="s", cookie=t, submitted=None, expect="token mismatch"),
    dict(comment="empty", key=key.hex(), sessionID="s", cookie="", submitted="", expect="malformed"),
]
# Lengths and shapes around the 129-byte token, and session IDs of every size the message
# buffer must hold.
t5 = owasp_token(key, "s", det("r5").hex())
long_sid = "u" * 300 + ":1800000000"
signed += [
    dict(comment="128 bytes", key=key.hex(), sessionID="s", cookie=t5[:128], submitted=t5[:128], expect="malformed"),
    dict(comment="130 bytes", key=key.hex(), sessionID="s", cookie=t5 + "0", submitted=t5 + "0", expect="malformed"),
    dict(comment="separator moved", key=key.hex(), sessionID="s", cookie=t5[:63] + "." + t5[63] + t5[65:],
         submitted=t5[:63] + "." + t5[63] + t5[65:], expect="malformed"),
    dict(comment="non-hex random", key=key.hex(), sessionID="s", cookie=t5[:-1] + "g", submitted=t5[:-1] + "g",
         expect="malformed"),
    dict(comment="submitted longer", key=key.hex(), sessionID="s", cookie=t5, submitted=t5 + "0", expect="token mismatch"),
    dict(comment="empty session ID", key=key.hex(), sessionID="", cookie=owasp_token(key, "", det("r6").hex()),
         submitted=owasp_token(key, "", det("r6").hex()), expect="success"),
    dict(comment="311-byte session ID", key=key.hex(), sessionID=long_sid, cookie=owasp_token(key, long_sid, det("r7").hex()),
         submitted=owasp_token(key, long_sid, det("r7").hex()), expect="success"),
    dict(comment="311-byte session ID, one byte short", key=key.hex(), sessionID=long_sid[:-1],
         cookie=owasp_token(key, long_sid, det("r7").hex()), submitted=owasp_token(key, long_sid, det("r7").hex()),
         expect="hmac mismatch"),
]

print(json.dumps(dict(
    source="generate_csrf.py (Python hashlib/hmac); next-auth core/lib/csrf-token.ts; OWASP CSRF Prevention Cheat Sheet",
    nextauth=nextauth, signed=signed), indent=1, ensure_ascii=False))
