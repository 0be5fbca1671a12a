#!/usr/bin/env python3
"""Generate Tests/Vectors/joserfc-xc20p.json: JWE compact test vectors for alg "dir" +
enc "XC20P" (XChaCha20-Poly1305, draft-amringer-jose-chacha), and Tests/Vectors/purpose-keys.json:
the purpose keys of a few ring keys.

Run from the package root:
    python3 -m pip install joserfc==1.6.5 pycryptodome cryptography && python3 Tests/Vectors/generate_xc20p.py
Written with joserfc 1.6.5 + pycryptodome 4.5.0 + cryptography 50.0.2, Python 3.11 (the JSONs'
"implementation" records the versions actually used). No cryptography is implemented here.

Purpose binding: a sealer never seals with a ring key's bytes but with the key derived for its
purpose, HKDF-SHA-256 (RFC 5869, computed with the `cryptography` package) with the 32 ring key
bytes as input keying material, an empty salt and the info
b"swift-session-token/purpose/v1/" + purpose name, 32 bytes out. Every token here is sealed with
the "session" key of its kid unless its comment says otherwise, while each vector's "keys" is the
ring as configured: the raw ring keys.

A vector's optional "absoluteLifetime" is the sealer's absolute session limit in seconds, or
"none" for no limit; absent means the library default, 90 days (7,776,000 s). Each comment says how its token
was made: "joserfc" = jwe.encrypt_compact (valid ones are decrypted again with joserfc to fill
"claims"); "joserfc + tamper" = joserfc output edited as text; "pycryptodome" = assembled by hand
with Crypto.Cipher.ChaCha20_Poly1305 (24-byte nonce = XChaCha20-Poly1305), AEAD correct over the
header segment as sent but the structure wrong. Keys and hand-made nonces are fixed; joserfc's
nonces are random, so run once and commit the output. Every "expect" is written by hand and then
cross-checked against reference_verdict(), a plain-Python statement of the verifier rules.
"""
import base64
import hashlib
import json
import os
import re
from importlib.metadata import version

from Crypto.Cipher import ChaCha20_Poly1305
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwe
from joserfc.drafts.jwe_chacha20 import register_chacha20_poly1305
from joserfc.jwe import JWERegistry
from joserfc.jwk import KeySet, OctKey

register_chacha20_poly1305()

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "joserfc-xc20p.json")
PURPOSE_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "purpose-keys.json")
NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
KEYS = {  # kid -> 32 key bytes; "k1" is the primary
    "k1": bytes.fromhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
    "k2": bytes.fromhex("c0ffee00112233445566778899aabbccddeeff0123456789abcdef0fedcba987"),
    "2026-11.a": bytes.fromhex("5a" * 16 + "a5" * 16),
}
OTHER_K1 = bytes.fromhex("ff" * 32)  # wrong bytes for kid "k1"
PURPOSE_INFO = b"swift-session-token/purpose/v1/"
DEFAULT_ABSOLUTE_LIFETIME = 7_776_000  # 90 days: SessionSealer.defaultAbsoluteLifetime
SID = "q8Rz3mC0vLx1-YbTn_4PeA"  # 22 base64url characters (16 bytes), as the library writes sid
HDR = {"alg": "dir", "enc": "XC20P", "kid": "k1"}
REG = JWERegistry(algorithms=["dir", "XC20P", "C20P", "A256GCM", "DEF"], strict_check_header=False)


def is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ring_spec(keys: dict[str, bytes]) -> str:
    return ",".join(f"{kid}:{b64u(raw)}" for kid, raw in keys.items())


def claims_bytes(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hkdf_sha256(ikm: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def purpose_key(raw: bytes, purpose: str) -> bytes:
    """The key a sealer for `purpose` uses for ring key `raw` (salt None = the empty salt)."""
    return hkdf_sha256(raw, PURPOSE_INFO + purpose.encode("utf-8"))


# RFC 5869 2.2: an absent salt is HashLen zero bytes, the same as an empty one.
assert hkdf_sha256(KEYS["k1"], b"x") == hkdf_sha256(KEYS["k1"], b"x", salt=b"") == hkdf_sha256(KEYS["k1"], b"x", salt=bytes(32))
assert len(b64u(os.urandom(16))) == len(SID) == 22 and len(base64.urlsafe_b64decode(SID + "==")) == 16

RING = ring_spec(KEYS)
SESSION_KEYS = {kid: purpose_key(raw, "session") for kid, raw in KEYS.items()}  # what the tokens are sealed with


def std_claims(**extra) -> dict:
    """The library's native claims; auth_time (the sign-in) is an hour ago, or at iat when that is earlier."""
    c = {"sub": "user-42", "iat": NOW - 60, "exp": NOW + 3600, "sid": SID}
    c.update(extra)
    if "auth_time" not in extra:
        c["auth_time"] = min(NOW - 3600, c["iat"]) if is_num(c.get("iat")) else NOW - 3600
    return {k: v for k, v in c.items() if v is not None}


def jtok(header: dict, plaintext: bytes | dict, kid: str = "k1", key: bytes | None = None) -> str:
    """A token made by joserfc's jwe.encrypt_compact."""
    if isinstance(plaintext, dict):
        plaintext = claims_bytes(plaintext)
    k = OctKey.import_key(key if key is not None else SESSION_KEYS[kid])
    return jwe.encrypt_compact(header, plaintext, k, registry=REG)


def mtok(header_json: str, plaintext: bytes | dict, key: bytes = SESSION_KEYS["k1"], nonce_len: int = 24,
         tag_len: int = 16, nonce: bytes | None = None, aad: bytes | None = None) -> str:
    """A token assembled by hand with pycryptodome (AEAD over the header segment as sent)."""
    if isinstance(plaintext, dict):
        plaintext = claims_bytes(plaintext)
    h = b64u(header_json.encode("utf-8"))
    if nonce is None:  # fixed, derived from the inputs, so these tokens are reproducible
        nonce = hashlib.sha256(h.encode() + plaintext).digest()[:nonce_len]
    c = ChaCha20_Poly1305.new(key=key, nonce=nonce)
    c.update(aad if aad is not None else h.encode("ascii"))
    ct, tag = c.encrypt_and_digest(plaintext)
    return ".".join([h, "", b64u(nonce), b64u(ct), b64u(tag[:tag_len])])


def set_seg(tok: str, i: int, new: str) -> str:
    return ".".join(new if j == i else seg for j, seg in enumerate(tok.split(".")))


def flip_mid(tok: str, i: int) -> str:
    """Replace the middle character of segment i (all 6 bits used there) by another one."""
    seg = tok.split(".")[i]
    m = len(seg) // 2
    return set_seg(tok, i, seg[:m] + ("B" if seg[m] == "A" else "A") + seg[m + 1:])


def noncanonical_tail(tok: str, i: int) -> str:
    """Set an unused low bit in the last character of segment i (same bytes when decoded leniently)."""
    alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    seg = tok.split(".")[i]
    v, unused = alpha.index(seg[-1]), {2: 4, 3: 2}[len(seg) % 4]
    assert v & ((1 << unused) - 1) == 0
    return set_seg(tok, i, seg[:-1] + alpha[v | 1])


def hj(*pairs) -> str:
    """Header JSON text from (name, value) pairs: allows duplicates and any order."""
    return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}"


STD_PAIRS = (("alg", "dir"), ("enc", "XC20P"), ("kid", "k1"))
VECTORS: list[dict] = []


def add(name, comment, token, expect, keys=RING, now=NOW, leeway=0, max_length=None,
        issuer=None, audience=None, absolute_lifetime=None):
    """absolute_lifetime: seconds, "none" for no limit, or None to leave the library default."""
    assert absolute_lifetime is None or absolute_lifetime == "none" or is_num(absolute_lifetime)
    v = {"name": name, "comment": comment, "keys": keys, "token": token, "now": now, "leeway": leeway or None,
         "maxLength": max_length, "issuer": issuer, "audience": audience, "absoluteLifetime": absolute_lifetime,
         "expect": expect}
    VECTORS.append({k: x for k, x in v.items() if x is not None})  # optional members only when set


# ---------------------------------------------------------------- valid vectors (joserfc)
BASE = jtok(HDR, std_claims())
add("typical", "joserfc: {sub, iat, exp, sid, auth_time} under the session key of primary key k1", BASE, "valid")
add("header-order-enc-kid-alg", "joserfc: header members ordered enc, kid, alg",
    jtok({"enc": "XC20P", "kid": "k1", "alg": "dir"}, std_claims()), "valid")
add("header-typ-cty", "joserfc: extra registered header members typ and cty are ignored",
    jtok({**HDR, "typ": "JWT", "cty": "json"}, std_claims()), "valid")
add("header-unknown-private-member", "joserfc: unknown header member x-app (string) and x-n (object) ignored",
    jtok({**HDR, "x-app": "demo", "x-n": {"a": [1, 2]}}, std_claims()), "valid")
add("second-key-k2", "joserfc: token under non-primary key k2",
    jtok({**HDR, "kid": "k2"}, std_claims(), kid="k2"), "valid")
add("third-key-dotted-kid", "joserfc: token under third key with kid 2026-11.a",
    jtok({**HDR, "kid": "2026-11.a"}, std_claims(), kid="2026-11.a"), "valid")
add("non-integer-exp-iat", "joserfc: exp 1800003600.5 and iat 1799999999.25 are accepted NumericDates",
    jtok(HDR, std_claims(exp=NOW + 3600.5, iat=NOW - 0.75)), "valid")
add("exp-only-no-absolute-limit", "joserfc: minimal claims {exp}; absoluteLifetime none, so no start time is needed",
    jtok(HDR, {"exp": NOW + 60}), "valid", absolute_lifetime="none")
add("foreign-jti", "joserfc: another writer's jti next to the native claims (this library no longer writes jti) still opens",
    jtok(HDR, std_claims(jti="4f1c2a7e-0b3d-4c59-9e21-6a8d7f0e5b13")), "valid")
add("iat-without-auth-time", "joserfc: {sub, iat, exp, sid}: no auth_time, so the absolute limit counts from iat",
    jtok(HDR, std_claims(auth_time=None)), "valid")
add("nbf-passed", "joserfc: nbf 10 s in the past", jtok(HDR, std_claims(nbf=NOW - 10)), "valid")
add("nbf-equals-now", "joserfc: nbf == now is already valid (notYetValid only when now + L < nbf)",
    jtok(HDR, std_claims(nbf=NOW)), "valid")
add("nbf-equals-now-plus-leeway", "joserfc: nbf == now + L with L=30 is valid",
    jtok(HDR, std_claims(nbf=NOW + 30)), "valid", leeway=30)
add("iat-equals-now", "joserfc: iat == now with L=0 is valid", jtok(HDR, std_claims(iat=NOW)), "valid")
add("iat-future-within-leeway", "joserfc: iat == now + L with L=30 is valid",
    jtok(HDR, std_claims(iat=NOW + 30)), "valid", leeway=30)
add("exp-edge-no-leeway", "joserfc: now == exp - 1 with L=0 is valid",
    jtok(HDR, std_claims(exp=NOW + 1)), "valid")
add("exp-edge-with-leeway", "joserfc: now == exp + L - 1 with L=30 is valid (exp already passed, inside leeway)",
    jtok(HDR, std_claims(iat=NOW - 600, exp=NOW - 29)), "valid", leeway=30)
add("iss-aud-string", "joserfc: issuer and audience configured; aud is a string equal to it",
    jtok(HDR, std_claims(iss="https://issuer.example", aud="api")), "valid",
    issuer="https://issuer.example", audience="api")
add("iss-aud-array", "joserfc: issuer and audience configured; aud is an array containing it",
    jtok(HDR, std_claims(iss="https://issuer.example", aud=["web", "api", "admin"])), "valid",
    issuer="https://issuer.example", audience="api")
add("iss-aud-present-not-configured", "joserfc: iss/aud present but verifier requires neither",
    jtok(HDR, std_claims(iss="someone-else", aud=["x"])), "valid")
UNICODE_PT = ('{"sub":"\u7528\u6237-\u00e9\u00e8","exp":%d,"iat":%d,"name":"caf\\u00e9 \\"quoted\\"\\nline2\\ttab",'
              '"emoji":"\U0001F510\U0001F600","cjk":"\u65e5\u672c\u8a9e\u4e2d\u6587\ud55c\uad6d\uc5b4",'
              '"esc":"\\ud83d\\ude00 \\/ \\\\","profile":{"roles":["r\u00f4le",{"deep":[1,2.5,-3,true,false,null]}],'
              '"empty":{},"list":[]}}' % (NOW + 3600, NOW - 60)).encode("utf-8")
add("unicode-nested-claims", "joserfc: nested custom claims with raw UTF-8 emoji/CJK and JSON escapes (\\u00e9, \\n, surrogate pair)",
    jtok(HDR, UNICODE_PT), "valid")
WS_HDR = '{ "alg" : "dir",\n "enc":"XC20P" , "kid":"k1" }'
add("header-with-whitespace", "pycryptodome (valid; AEAD checked with pycryptodome, joserfc re-serializes the header for AAD): header JSON has spaces/newline; AAD is the segment as sent",
    mtok(WS_HDR, std_claims()), "valid")
add("max-length-equal", "joserfc: maxLength == token length is still valid", BASE, "valid", max_length=len(BASE))

# ---------------------------------------------------------------- structural / encoding failures
add("too-long", "joserfc token with maxLength = token length - 1", BASE, "invalid", max_length=len(BASE) - 1)
for i, seg in enumerate(["header", None, "nonce", "ciphertext", "tag"]):
    if seg:
        add(f"flip-{seg}", f"joserfc + tamper: one character changed in the middle of the {seg} segment",
            flip_mid(BASE, i), "invalid")
add("encrypted-key-nonempty", "joserfc + tamper: 2nd segment set to AAAA", set_seg(BASE, 1, "AAAA"), "invalid")
add("four-segments", "joserfc + tamper: empty encrypted-key segment removed (4 segments)",
    ".".join(BASE.split(".")[:1] + BASE.split(".")[2:]), "invalid")
add("six-segments", "joserfc + tamper: extra segment appended (.AAAA)", BASE + ".AAAA", "invalid")
add("six-segments-trailing-dot", "joserfc + tamper: trailing dot (6th segment empty)", BASE + ".", "invalid")
add("padding-on-tag", "joserfc + tamper: '==' padding appended to the tag segment (bytes unchanged)",
    BASE + "==", "invalid")
add("padding-on-ciphertext", "joserfc + tamper: '=' inserted at the end of the ciphertext segment",
    set_seg(BASE, 3, BASE.split(".")[3] + "="), "invalid")
FB = bytes([0xFB, 0xEF, 0xBE]) * 8  # base64url "----..." / standard "++++..."
add("plus-in-nonce", "pycryptodome: nonce FBEFBE.. written in standard alphabet ('+' for '-'); AEAD correct after lenient decode",
    mtok(hj(*STD_PAIRS), std_claims(), nonce=FB).replace("--------", "++++++++"), "invalid")
add("slash-in-nonce", "pycryptodome: nonce FF.. written in standard alphabet ('/' for '_'); AEAD correct after lenient decode",
    mtok(hj(*STD_PAIRS), std_claims(), nonce=b"\xff" * 24).replace("________", "////////"), "invalid")
add("noncanonical-tag-bits", "joserfc + tamper: unused low bit set in last tag character (same bytes if decoded leniently)",
    noncanonical_tail(BASE, 4), "invalid")
add("space-in-ciphertext", "joserfc + tamper: a space inserted inside the ciphertext segment",
    set_seg(BASE, 3, BASE.split(".")[3][:4] + " " + BASE.split(".")[3][4:]), "invalid")
add("header-whitespace-added", "joserfc + tamper: header segment re-encoded with a leading space in the JSON (AAD changes; joserfc 1.6.5 still accepts it)",
    set_seg(BASE, 0, b64u(b" " + base64.urlsafe_b64decode(BASE.split(".")[0] + "=="))), "invalid")
add("newline-in-header", "joserfc + tamper: a line feed inserted inside the header segment",
    BASE[:10] + "\n" + BASE[10:], "invalid")
add("trailing-newline", "joserfc + tamper: token followed by a line feed", BASE + "\n", "invalid")
add("nonce-12-bytes", "pycryptodome: correct ChaCha20-Poly1305 (12-byte nonce) under an XC20P header",
    mtok(hj(*STD_PAIRS), std_claims(), nonce_len=12), "invalid")
add("tag-15-bytes", "pycryptodome: XC20P tag truncated to 15 bytes", mtok(hj(*STD_PAIRS), std_claims(), tag_len=15), "invalid")
add("tag-17-bytes", "joserfc + tamper: a zero byte appended to the 16-byte tag",
    set_seg(BASE, 4, b64u(base64.urlsafe_b64decode(BASE.split(".")[4] + "==") + b"\0")), "invalid")
add("aad-raw-header-json", "pycryptodome: AEAD computed with the raw header JSON as AAD instead of its base64url segment",
    mtok(hj(*STD_PAIRS), std_claims(), aad=hj(*STD_PAIRS).encode()), "invalid")

# ---------------------------------------------------------------- key / header failures
add("wrong-key-bytes", "joserfc token for k1; ring maps k1 to different key bytes", BASE, "invalid",
    keys=ring_spec({"k1": OTHER_K1, "k2": KEYS["k2"]}))
add("kid-of-other-key", "joserfc: header kid k2 but encrypted under k1's session key",
    jtok({**HDR, "kid": "k2"}, std_claims(), key=SESSION_KEYS["k1"]), "invalid")
add("unknown-kid", "joserfc: kid k9 not in ring (encrypted with k1's bytes)",
    jtok({**HDR, "kid": "k9"}, std_claims()), "invalid")
add("kid-wrong-case", "joserfc: kid K1 (ring has k1; kids are case-sensitive)",
    jtok({**HDR, "kid": "K1"}, std_claims()), "invalid")
add("missing-kid", "joserfc: no kid; encrypted under primary k1 (no fallback to the primary)",
    jtok({"alg": "dir", "enc": "XC20P"}, std_claims()), "invalid")
add("kid-not-string", "pycryptodome: kid is the number 1", mtok(hj(("alg", "dir"), ("enc", "XC20P"), ("kid", 1)), std_claims()), "invalid")
for alg in ["A256KW", "none"]:
    add(f"alg-{alg.lower()}", f"pycryptodome: alg {alg}, otherwise a correct XC20P token under k1",
        mtok(hj(("alg", alg), ("enc", "XC20P"), ("kid", "k1")), std_claims()), "invalid")
add("alg-missing", "pycryptodome: no alg member", mtok(hj(("enc", "XC20P"), ("kid", "k1")), std_claims()), "invalid")
add("enc-a256gcm-header", "pycryptodome: enc A256GCM in header but XC20P AEAD (correct) used",
    mtok(hj(("alg", "dir"), ("enc", "A256GCM"), ("kid", "k1")), std_claims()), "invalid")
add("enc-a256gcm-joserfc", "joserfc: a real dir/A256GCM token under k1",
    jtok({**HDR, "enc": "A256GCM"}, std_claims()), "invalid")
add("enc-c20p-joserfc", "joserfc: a real dir/C20P (12-byte nonce) token under k1",
    jtok({**HDR, "enc": "C20P"}, std_claims()), "invalid")
add("enc-missing", "pycryptodome: no enc member", mtok(hj(("alg", "dir"), ("kid", "k1")), std_claims()), "invalid")
add("zip-def", "joserfc: zip DEF (plaintext deflated by joserfc), otherwise correct",
    jtok({**HDR, "zip": "DEF"}, std_claims()), "invalid")
add("crit-exp", "pycryptodome: crit [\"exp\"] present", mtok(hj(*STD_PAIRS, ("crit", ["exp"])), std_claims()), "invalid")
add("crit-empty", "pycryptodome: crit [] present (any crit value is rejected)",
    mtok(hj(*STD_PAIRS, ("crit", [])), std_claims()), "invalid")
add("duplicate-kid-first-key", "pycryptodome: kid k1 then kid k2; AEAD under k1 (first value)",
    mtok(hj(*STD_PAIRS, ("kid", "k2")), std_claims()), "invalid")
add("duplicate-kid-last-key", "pycryptodome: kid k1 then kid k2; AEAD under k2 (last value)",
    mtok(hj(*STD_PAIRS, ("kid", "k2")), std_claims(), key=SESSION_KEYS["k2"]), "invalid")
add("duplicate-alg-same-value", "pycryptodome: alg dir given twice with the same value",
    mtok(hj(("alg", "dir"), *STD_PAIRS), std_claims()), "invalid")

# ---------------------------------------------------------------- purpose binding failures (joserfc, correct JWE)
add("raw-ring-key", "joserfc: sealed with k1's raw ring key bytes, not its derived session key",
    jtok(HDR, std_claims(), key=KEYS["k1"]), "invalid")
add("raw-ring-key-k2", "joserfc: header kid k2, sealed with k2's raw ring key bytes",
    jtok({**HDR, "kid": "k2"}, std_claims(), key=KEYS["k2"]), "invalid")
add("purpose-vapor-session-data", "joserfc: sealed with k1's key for purpose vapor-session-data",
    jtok(HDR, std_claims(), key=purpose_key(KEYS["k1"], "vapor-session-data")), "invalid")
add("purpose-app-password-reset", "joserfc: sealed with k1's key for purpose app/password-reset",
    jtok(HDR, std_claims(), key=purpose_key(KEYS["k1"], "app/password-reset")), "invalid")
add("purpose-app-session", "joserfc: sealed with k1's key for purpose app/session (an application purpose named session)",
    jtok(HDR, std_claims(), key=purpose_key(KEYS["k1"], "app/session")), "invalid")
add("purpose-session-key-of-k2-under-kid-k1", "joserfc: header kid k1 but sealed with the session key derived from k2",
    jtok(HDR, std_claims(), key=SESSION_KEYS["k2"]), "invalid")
add("purpose-info-without-version", "joserfc: HKDF info swift-session-token/purpose/session (no v1/)",
    jtok(HDR, std_claims(), key=hkdf_sha256(KEYS["k1"], b"swift-session-token/purpose/session")), "invalid")
add("purpose-secret-derivation-info", "joserfc: HKDF info swift-session-token/v1/session (the secret derivation's info, not the purpose one)",
    jtok(HDR, std_claims(), key=hkdf_sha256(KEYS["k1"], b"swift-session-token/v1/session")), "invalid")
add("purpose-nonempty-salt", "joserfc: session key derived with salt \"session\" instead of the empty salt",
    jtok(HDR, std_claims(), key=hkdf_sha256(KEYS["k1"], PURPOSE_INFO + b"session", salt=b"session")), "invalid")
add("header-json-array", "pycryptodome: header is a JSON array", mtok('["dir","XC20P","k1"]', std_claims()), "invalid")
add("header-not-json", "pycryptodome: header is not JSON", mtok("alg=dir;enc=XC20P;kid=k1", std_claims()), "invalid")

# ---------------------------------------------------------------- claims failures (joserfc, correct JWE)
CLAIM_FAILS = [
    ("claims-json-array", "claims are a JSON array", b'[{"exp":%d}]' % (NOW + 3600)),
    ("claims-json-string", "claims are a JSON string", b'"exp"'),
    ("claims-not-utf8", "claims contain byte 0xFF inside a string", b'{"exp":%d,"sub":"\xff"}' % (NOW + 3600)),
    ("claims-not-json", "claims are not JSON", b"exp=1800003600"),
    ("claims-trailing-garbage", "claims object followed by garbage", b'{"exp":%d}x' % (NOW + 3600)),
    ("claims-empty", "empty plaintext", b""),
    ("missing-exp", "claims without exp", claims_bytes(std_claims(exp=None))),
    ("exp-string", "exp is the string \"1800003600\"", claims_bytes(std_claims(exp=str(NOW + 3600)))),
    ("exp-null", "exp is null", b'{"exp":null}'),
    ("exp-bool", "exp is true", b'{"exp":true}'),
    ("iat-string", "iat is a string", claims_bytes(std_claims(iat=str(NOW)))),
    ("nbf-string", "nbf is a string", claims_bytes(std_claims(nbf=str(NOW)))),
    ("sub-number", "sub is a number", claims_bytes(std_claims(sub=42))),
    ("auth-time-string", "auth_time is a string", claims_bytes(std_claims(auth_time=str(NOW - 3600)))),
    ("auth-time-null", "auth_time is null", claims_bytes(std_claims()).replace(b'"auth_time":%d' % (NOW - 3600), b'"auth_time":null')),
    ("auth-time-bool", "auth_time is true", claims_bytes(std_claims(auth_time=True))),
    ("sid-number", "sid is a number", claims_bytes(std_claims(sid=12345))),
    ("sid-null", "sid is null", claims_bytes(std_claims()).replace(b'"sid":"%s"' % SID.encode(), b'"sid":null')),
    ("jti-number", "a foreign jti that is a number", claims_bytes(std_claims(jti=7))),
    ("iss-number-not-configured", "iss is a number and no issuer is configured", claims_bytes(std_claims(iss=1))),
    ("aud-number", "aud is a number and no audience is configured", claims_bytes(std_claims(aud=5))),
    ("aud-array-with-number", "aud is an array holding a number", claims_bytes(std_claims(aud=["api", 1]))),
    ("duplicate-sid", "sid given twice (same value)",
     b'{"sub":"user-42","sid":"%s","exp":%d,"auth_time":%d,"sid":"%s"}' % (SID.encode(), NOW + 3600, NOW - 3600, SID.encode())),
    ("duplicate-auth-time", "auth_time given twice",
     b'{"sub":"user-42","auth_time":%d,"exp":%d,"auth_time":%d}' % (NOW - 3600, NOW + 3600, NOW - 60)),
    ("duplicate-custom", "a custom member given twice", claims_bytes(std_claims())[:-1] + b',"role":"a","role":"b"}'),
    ("duplicate-exp", "exp given twice (both in the future)",
     b'{"sub":"user-42","exp":%d,"exp":%d}' % (NOW + 3600, NOW + 7200)),
    ("duplicate-sub", "sub given twice", b'{"sub":"a","exp":%d,"sub":"b"}' % (NOW + 3600)),
]
for name, what, pt in CLAIM_FAILS:
    add(name, f"joserfc: correct JWE, {what}", jtok(HDR, pt), "invalid")

# ---------------------------------------------------------------- iss / aud failures
ISS = "https://issuer.example"
add("iss-mismatch", "joserfc: iss differs from configured issuer", jtok(HDR, std_claims(iss="https://evil.example", aud="api")),
    "invalid", issuer=ISS, audience="api")
add("iss-missing", "joserfc: issuer configured but no iss claim", jtok(HDR, std_claims()), "invalid", issuer=ISS)
add("iss-not-string", "joserfc: iss is a number", jtok(HDR, std_claims(iss=1)), "invalid", issuer=ISS)
add("aud-mismatch-string", "joserfc: aud string differs from configured audience",
    jtok(HDR, std_claims(iss=ISS, aud="web")), "invalid", issuer=ISS, audience="api")
add("aud-mismatch-case", "joserfc: aud API vs configured api (case-sensitive)",
    jtok(HDR, std_claims(aud="API")), "invalid", audience="api")
add("aud-array-without", "joserfc: aud array does not contain configured audience",
    jtok(HDR, std_claims(aud=["web", "admin"])), "invalid", audience="api")
add("aud-missing", "joserfc: audience configured but no aud claim", jtok(HDR, std_claims()), "invalid", audience="api")

# ---------------------------------------------------------------- time failures (joserfc)
add("expired-at-exp", "joserfc: now == exp with L=0", jtok(HDR, std_claims(exp=NOW)), "expired")
add("expired-at-exp-plus-leeway", "joserfc: now == exp + L with L=30",
    jtok(HDR, std_claims(iat=NOW - 600, exp=NOW - 30)), "expired", leeway=30)
add("expired-long-ago", "joserfc: exp one day before now", jtok(HDR, std_claims(iat=NOW - 90000, exp=NOW - 86400)), "expired")
add("expired-fractional", "joserfc: exp 1799999999.5 < now", jtok(HDR, std_claims(iat=NOW - 600, exp=NOW - 0.5)), "expired")
add("expired-and-nbf-future", "joserfc: exp passed and nbf in future: expired is checked first",
    jtok(HDR, std_claims(iat=None, exp=NOW - 1, nbf=NOW + 100)), "expired")
add("nbf-future-by-1", "joserfc: nbf = now + 1 with L=0", jtok(HDR, std_claims(nbf=NOW + 1)), "notYetValid")
add("nbf-future-beyond-leeway", "joserfc: nbf = now + L + 1 with L=30",
    jtok(HDR, std_claims(nbf=NOW + 31)), "notYetValid", leeway=30)
add("iat-future-by-1", "joserfc: iat = now + 1 with L=0", jtok(HDR, std_claims(iat=NOW + 1)), "notYetValid")
add("iat-future-beyond-leeway", "joserfc: iat = now + L + 1 with L=30",
    jtok(HDR, std_claims(iat=NOW + 31)), "notYetValid", leeway=30)

# ---------------------------------------------------------------- absolute session limit (joserfc)
# Refused as expired when now >= start + absoluteLifetime + leeway, start = auth_time, else iat;
# with the limit on, a token with neither is invalid.
A = DEFAULT_ABSOLUTE_LIFETIME
add("absolute-auth-time-beyond-limit", "joserfc: auth_time a day more than 90 days ago (iat recent, as after a refresh), default limit",
    jtok(HDR, std_claims(auth_time=NOW - A - 86400)), "expired")
add("absolute-edge-valid", "joserfc: now == auth_time + 7776000 - 1 under the default limit is valid",
    jtok(HDR, std_claims(auth_time=NOW - A + 1)), "valid")
add("absolute-edge-expired", "joserfc: now == auth_time + 7776000 under the default limit is expired",
    jtok(HDR, std_claims(auth_time=NOW - A)), "expired")
add("absolute-edge-fractional", "joserfc: now == auth_time + 7776000 - 0.5 (auth_time fractional) is valid",
    jtok(HDR, std_claims(auth_time=NOW - A + 0.5)), "valid")
add("absolute-edge-valid-explicit", "joserfc: absoluteLifetime 7776000 given explicitly, now == auth_time + limit - 1",
    jtok(HDR, std_claims(auth_time=NOW - A + 1)), "valid", absolute_lifetime=A)
add("absolute-custom-edge-valid", "joserfc: absoluteLifetime 3600, now == auth_time + 3599",
    jtok(HDR, std_claims(auth_time=NOW - 3599, iat=NOW - 60)), "valid", absolute_lifetime=3600)
add("absolute-custom-edge-expired", "joserfc: absoluteLifetime 3600, now == auth_time + 3600",
    jtok(HDR, std_claims(auth_time=NOW - 3600, iat=NOW - 60)), "expired", absolute_lifetime=3600)
add("absolute-leeway-edge-valid", "joserfc: absoluteLifetime 3600, L=30, now == auth_time + 3600 + 30 - 1",
    jtok(HDR, std_claims(auth_time=NOW - 3629, iat=NOW - 60)), "valid", absolute_lifetime=3600, leeway=30)
add("absolute-leeway-edge-expired", "joserfc: absoluteLifetime 3600, L=30, now == auth_time + 3600 + 30",
    jtok(HDR, std_claims(auth_time=NOW - 3630, iat=NOW - 60)), "expired", absolute_lifetime=3600, leeway=30)
add("absolute-from-iat-edge-valid", "joserfc: no auth_time; now == iat + 7776000 - 1 under the default limit",
    jtok(HDR, std_claims(auth_time=None, iat=NOW - A + 1)), "valid")
add("absolute-from-iat-edge-expired", "joserfc: no auth_time; now == iat + 7776000 under the default limit",
    jtok(HDR, std_claims(auth_time=None, iat=NOW - A)), "expired")
add("absolute-auth-time-before-iat", "joserfc: auth_time within the limit and iat beyond it: the limit counts from auth_time",
    jtok(HDR, std_claims(auth_time=NOW - 3600, iat=NOW - A - 10)), "valid")
add("absolute-none-ancient-auth-time", "joserfc: auth_time a year ago with absoluteLifetime none",
    jtok(HDR, std_claims(auth_time=NOW - 31_536_000)), "valid", absolute_lifetime="none")
add("exp-only-default-limit", "joserfc: minimal claims {exp} under the default limit: no auth_time or iat to count from",
    jtok(HDR, {"exp": NOW + 60}), "invalid")
add("no-start-default-limit", "joserfc: {sub, exp, sid} without auth_time or iat under the default limit",
    jtok(HDR, std_claims(iat=None, auth_time=None)), "invalid")
add("no-start-custom-limit", "joserfc: {sub, exp, sid} without auth_time or iat under absoluteLifetime 3600",
    jtok(HDR, std_claims(iat=None, auth_time=None)), "invalid", absolute_lifetime=3600)
add("no-start-nbf-only", "joserfc: nbf is no start time: {sub, exp, nbf} under the default limit",
    jtok(HDR, std_claims(iat=None, auth_time=None, nbf=NOW - 10)), "invalid")

# ---------------------------------------------------------------- check order
add("order-iss-before-times", "joserfc: wrong iss and exp passed: iss/aud are checked before the times",
    jtok(HDR, std_claims(iat=NOW - 600, auth_time=NOW - 600, exp=NOW - 1, iss="https://evil.example")), "invalid",
    issuer="https://issuer.example")
add("order-aud-before-times", "joserfc: wrong aud and nbf in the future: iss/aud are checked before the times",
    jtok(HDR, std_claims(nbf=NOW + 100, aud="web")), "invalid", audience="api")
add("order-claim-types-before-times", "joserfc: sid a number and exp passed: claim types are checked before the times",
    jtok(HDR, std_claims(iat=NOW - 600, auth_time=NOW - 600, exp=NOW - 1, sid=1)), "invalid")
add("order-exp-before-absolute-start", "joserfc: {exp} passed, no start time, default limit: exp is checked before the limit",
    jtok(HDR, {"exp": NOW - 1}), "expired")
add("order-nbf-before-absolute-limit", "joserfc: nbf in the future and auth_time beyond the limit: notYetValid first",
    jtok(HDR, std_claims(auth_time=NOW - A - 10, nbf=NOW + 1)), "notYetValid")
add("order-iat-before-absolute-start", "joserfc: {exp, nbf} with nbf in the future, no start time: notYetValid before the limit",
    jtok(HDR, {"exp": NOW + 3600, "nbf": NOW + 1}), "notYetValid")


# ---------------------------------------------------------------- reference check of the rules
class Dup(ValueError):
    pass


def strict_json(data: bytes):
    def hook(pairs):
        names = [k for k, _ in pairs]
        if len(names) != len(set(names)):
            raise Dup()
        return dict(pairs)
    return json.loads(data.decode("utf-8"), object_pairs_hook=hook)


def strict_b64u(seg: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", seg) or len(seg) % 4 == 1:
        raise ValueError(seg)
    raw = base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4))
    if b64u(raw) != seg:
        raise ValueError("non-canonical")
    return raw


def reference_verdict(v: dict):
    """Returns (expect, claims-or-None) following the verifier rules in the brief."""
    tok, ring = v["token"], dict(e.split(":", 1) for e in v["keys"].split(","))
    if len(tok.encode()) > v.get("maxLength", 4096):
        return "invalid", None
    segs = tok.split(".")
    if len(segs) != 5 or segs[1] != "":
        return "invalid", None
    try:
        h, _, iv, ct, tag = [strict_b64u(s) for s in segs]
        hdr = strict_json(h)
        if not isinstance(hdr, dict) or hdr.get("alg") != "dir" or hdr.get("enc") != "XC20P":
            return "invalid", None
        if not isinstance(hdr.get("kid"), str) or hdr["kid"] not in ring or "zip" in hdr or "crit" in hdr:
            return "invalid", None
        if len(iv) != 24 or len(tag) != 16:
            return "invalid", None
        aead = ChaCha20_Poly1305.new(key=purpose_key(strict_b64u(ring[hdr["kid"]]), "session"), nonce=iv)
        aead.update(segs[0].encode("ascii"))
        claims = strict_json(aead.decrypt_and_verify(ct, tag))
    except ValueError:  # includes UnicodeDecodeError, JSONDecodeError, Dup, MAC check failed
        return "invalid", None
    # Claim types (duplicates were refused by strict_json above).
    aud = claims.get("aud") if isinstance(claims, dict) else None
    if (not isinstance(claims, dict) or not is_num(claims.get("exp"))
            or any(k in claims and not is_num(claims[k]) for k in ("iat", "nbf", "auth_time"))
            or any(k in claims and not isinstance(claims[k], str) for k in ("sub", "sid", "jti", "iss"))
            or ("aud" in claims and not isinstance(aud, str)
                and not (isinstance(aud, list) and all(isinstance(a, str) for a in aud)))):
        return "invalid", None
    # Issuer and audience, when configured.
    if "issuer" in v and claims.get("iss") != v["issuer"]:
        return "invalid", None
    if "audience" in v and not (aud == v["audience"] if isinstance(aud, str) else (
            isinstance(aud, list) and v["audience"] in aud)):
        return "invalid", None
    # Times, with the leeway.
    now, lw = v["now"], v.get("leeway", 0)
    if now >= claims["exp"] + lw:
        return "expired", None
    if "nbf" in claims and now + lw < claims["nbf"]:
        return "notYetValid", None
    if "iat" in claims and claims["iat"] > now + lw:
        return "notYetValid", None
    # The absolute limit, counted from auth_time, else iat.
    limit = v.get("absoluteLifetime", DEFAULT_ABSOLUTE_LIFETIME)
    if limit != "none":
        start = claims.get("auth_time", claims.get("iat"))
        if start is None:
            return "invalid", None
        if now >= start + limit + lw:
            return "expired", None
    return "valid", claims


# joserfc 1.6.5 decrypts with AAD = base64url(re-serialized header) instead of the
# segment as received (RFC 7516 5.2 step 14), so it cannot open a header with whitespace.
NOT_JOSERFC_CHECKABLE = {"header-with-whitespace"}


def joserfc_claims(v: dict):
    """Decrypt with joserfc, letting it pick the key from a KeySet (of the ring's session keys) by kid."""
    ring = dict(e.split(":", 1) for e in v["keys"].split(","))
    ks = KeySet([OctKey.import_key(purpose_key(strict_b64u(raw), "session"), {"kid": kid}) for kid, raw in ring.items()])
    return json.loads(jwe.decrypt_compact(v["token"], ks, registry=REG).plaintext.decode("utf-8"))


def main():
    names = [v["name"] for v in VECTORS]
    assert len(names) == len(set(names)), "duplicate vector names"
    for v in VECTORS:
        assert len(v["token"].encode()) <= v.get("maxLength", 4096) or v["name"] == "too-long"
        got, claims = reference_verdict(v)
        assert got == v["expect"], f'{v["name"]}: reference says {got}, vector says {v["expect"]}'
        if v["expect"] == "valid" and v["name"] in NOT_JOSERFC_CHECKABLE:
            v["claims"] = claims  # from reference_verdict(): pycryptodome AEAD with AAD = segment as sent
        elif v["expect"] == "valid":
            v["claims"] = joserfc_claims(v)
            assert v["claims"] == claims, v["name"]
    impl = f'joserfc {version("joserfc")} + pycryptodome {version("pycryptodome")} + cryptography {version("cryptography")}'
    doc = {"generator": "Tests/Vectors/generate_xc20p.py", "implementation": impl, "vectors": VECTORS}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    counts = {e: sum(v["expect"] == e for v in VECTORS) for e in ("valid", "invalid", "expired", "notYetValid")}
    print(f"wrote {len(VECTORS)} vectors to {OUT}: " + ", ".join(f"{k}={n}" for k, n in counts.items()))
    write_purpose_keys()


PURPOSE_KEY_INPUTS = {  # name -> ring key bytes
    "k1": KEYS["k1"],
    "k2": KEYS["k2"],
    "2026-11.a": KEYS["2026-11.a"],
    "zero": bytes(32),
    "ff": bytes([0xFF]) * 32,
}
PURPOSES = ["session", "vapor-session-data", "app/password-reset", "app/a", "app/email.confirm_v2",
            "app/session", "app/" + "x" * 64]


def write_purpose_keys():
    """Tests/Vectors/purpose-keys.json: each key's derived key for each purpose, by `cryptography`'s HKDF."""
    rows = [{"key": b64u(raw), "purpose": purpose, "derived": b64u(purpose_key(raw, purpose))}
            for raw in PURPOSE_KEY_INPUTS.values() for purpose in PURPOSES]
    assert len({r["derived"] for r in rows}) == len(rows), "two purpose keys coincide"
    assert all(len(r["key"]) == len(r["derived"]) == 43 for r in rows)
    doc = {"generator": "Tests/Vectors/generate_xc20p.py",
           "implementation": f'cryptography {version("cryptography")} (HKDF, SHA-256)',
           "derivation": "HKDF-SHA-256 (RFC 5869): ikm = key, salt empty, info = "
                         "\"swift-session-token/purpose/v1/\" + purpose, 32 bytes; base64url without padding",
           "vectors": rows}
    with open(PURPOSE_OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(rows)} purpose keys to {PURPOSE_OUT}")


if __name__ == "__main__":
    main()
