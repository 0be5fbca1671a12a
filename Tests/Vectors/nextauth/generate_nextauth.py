#!/usr/bin/env python3
"""Writes nextauth-vectors.json: next-auth v4 and Auth.js v5 session tokens made by an
independent implementation, for Tests/SessionTokenNextAuthTests/VectorTests.swift.

Keys are derived with `cryptography`'s HKDF exactly as next-auth (v4, packages/next-auth/src/jwt)
and @auth/core (v5, packages/core/src/jwt.ts) do; well-formed tokens are encrypted with joserfc's
JWE implementation. Malformed tokens (headers joserfc refuses to write: zip, crit, duplicate
members, another alg) are built from `cryptography`'s AES-GCM, AES-CBC and HMAC primitives.

Run:  pip install joserfc cryptography && python3 Tests/Vectors/nextauth/generate_nextauth.py
CI never runs this: the committed JSON is the fixture. Tokens carry random IVs, so every run
writes different tokens with the same expectations.
"""
import base64
import hashlib
import hmac
import json
import os
import uuid

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwe, jwk
from joserfc.jwk import OctKey

import joserfc

NOW = 1_800_000_000
HERE = os.path.dirname(os.path.abspath(__file__))
HTTP = "authjs.session-token"
HTTPS = "__Secure-authjs.session-token"

SECRET_A = "v4-and-v5-secret-A: 32 random bytes go here, base64"
SECRET_B = "rotated-secret-B/9c1f0e"
SECRET_C = "never-configured-secret-C"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hkdf(secret: str, salt: str, info: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt.encode(), info=info.encode()).derive(
        secret.encode())


def v4_key(secret: str) -> bytes:
    return hkdf(secret, "", "NextAuth.js Generated Encryption Key", 32)


def v5_key(secret: str, cookie: str, length: int = 64) -> bytes:
    return hkdf(secret, cookie, f"Auth.js Generated Encryption Key ({cookie})", length)


def thumbprint(key: bytes) -> str:
    """RFC 7638 for an oct key, SHA-512 for 64 bytes and SHA-256 for 32, as Auth.js calls jose."""
    text = json.dumps({"k": b64(key), "kty": "oct"}, separators=(",", ":"), sort_keys=True).encode()
    digest = hashlib.sha512(text) if len(key) == 64 else hashlib.sha256(text)
    # Cross-check against joserfc's own RFC 7638 implementation.
    method = "sha512" if len(key) == 64 else "sha256"
    assert jwk.thumbprint({"kty": "oct", "k": b64(key)}, method).rstrip("=") == b64(digest.digest())
    return b64(digest.digest())


def claims(**overrides):
    base = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "picture": "https://example.com/ada.png",
        "sub": "user-42",
        "iat": NOW - 60,
        "exp": NOW - 60 + 2_592_000,
        "jti": str(uuid.uuid4()),
    }
    for name, value in overrides.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return base


def compact(claims_obj) -> bytes:
    return json.dumps(claims_obj, separators=(",", ":"), ensure_ascii=False).encode()


def joserfc_encrypt(header: dict, plaintext: bytes, key: bytes) -> str:
    """A well-formed token, written by joserfc."""
    return jwe.encrypt_compact(header, plaintext, OctKey.import_key(key), algorithms=["dir", header["enc"]])


def raw_encrypt(header_json: str, plaintext: bytes, key: bytes, enc: str) -> str:
    """A token with any header text, from the primitives (for headers joserfc will not write)."""
    header_segment = b64(header_json.encode())
    aad = header_segment.encode()
    if enc in ("A256GCM", "A128GCM"):
        iv = os.urandom(12)
        sealed = AESGCM(key).encrypt(iv, plaintext, aad)
        ciphertext, tag = sealed[:-16], sealed[-16:]
    else:
        half = len(key) // 2
        mac_key, enc_key = key[:half], key[half:]
        iv = os.urandom(16)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(plaintext) + padder.finalize()
        encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
        ciphertext = encryptor.update(padded) + encryptor.finalize()
        al = (len(aad) * 8).to_bytes(8, "big")
        digest = hashlib.sha512 if half == 32 else hashlib.sha256
        tag = hmac.new(mac_key, aad + iv + ciphertext + al, digest).digest()[:half]
    return ".".join([header_segment, "", b64(iv), b64(ciphertext), b64(tag)])


def decrypt_check(token: str, key: bytes) -> dict:
    """joserfc must read back what it wrote (guards the generator itself)."""
    return json.loads(jwe.decrypt_compact(token, OctKey.import_key(key)).plaintext)


def flip(token: str, segment: int, position: int = 2) -> str:
    """Changes one base64url character of one segment so that the bytes change."""
    parts = token.split(".")
    text = list(parts[segment])
    c = text[position]
    text[position] = "B" if c != "B" else "C"
    parts[segment] = "".join(text)
    return ".".join(parts)


vectors = []


def add(vid, comment, fmt, secrets, token, expect, claims_obj=None, now=NOW):
    entry = {"id": vid, "comment": comment, "format": fmt, "secrets": secrets, "now": now, "token": token,
             "expect": expect}
    if expect == "valid":
        entry["claims"] = claims_obj
    vectors.append(entry)


def v4_token(secret, claims_obj):
    key = v4_key(secret)
    token = joserfc_encrypt({"alg": "dir", "enc": "A256GCM"}, compact(claims_obj), key)
    assert decrypt_check(token, key) == claims_obj
    return token


def v5_token(secret, cookie, claims_obj, enc="A256CBC-HS512", kid=True):
    key = v5_key(secret, cookie, 64 if enc == "A256CBC-HS512" else 32)
    header = {"alg": "dir", "enc": enc}
    if kid:
        header["kid"] = thumbprint(key)
    token = joserfc_encrypt(header, compact(claims_obj), key)
    assert decrypt_check(token, key) == claims_obj
    return token


V4 = "v4"

# ---------------------------------------------------------------- valid
c = claims()
t_v4 = v4_token(SECRET_A, c)
add("v4-basic", "next-auth v4: dir + A256GCM, no kid", V4, [SECRET_A], t_v4, "valid", c)

c = claims()
add("v4-second-secret", "v4 with two secrets: the token is under the second, tried in order", V4,
    [SECRET_B, SECRET_A], v4_token(SECRET_A, c), "valid", c)

c = claims()
t_v5 = v5_token(SECRET_A, HTTP, c)
add("v5-http", "Auth.js v5, salt authjs.session-token, A256CBC-HS512 with kid", HTTP, [SECRET_A], t_v5, "valid", c)

c = claims()
t_v5s = v5_token(SECRET_A, HTTPS, c)
add("v5-https", "Auth.js v5, salt __Secure-authjs.session-token", HTTPS, [SECRET_A], t_v5s, "valid", c)

c = claims()
add("v5-rotated-old-secret", "v5 with two secrets [new, old]: the kid selects the old one", HTTP,
    [SECRET_B, SECRET_A], v5_token(SECRET_A, HTTP, c), "valid", c)

c = claims()
add("v5-rotated-new-secret", "v5 with two secrets [new, old]: the kid selects the new one", HTTPS,
    [SECRET_B, SECRET_A], v5_token(SECRET_B, HTTPS, c), "valid", c)

c = claims()
add("v5-gcm", "v5 with A256GCM and the 32-byte derivation, kid = SHA-256 thumbprint", HTTP, [SECRET_A],
    v5_token(SECRET_A, HTTP, c, enc="A256GCM"), "valid", c)

c = claims()
add("v5-gcm-second-secret", "v5 A256GCM whose kid names the second secret", HTTPS, [SECRET_B, SECRET_A],
    v5_token(SECRET_A, HTTPS, c, enc="A256GCM"), "valid", c)

c = claims()
add("v5-no-kid-first-secret", "v5 without kid: the first secret is used", HTTP, [SECRET_A, SECRET_B],
    v5_token(SECRET_A, HTTP, c, kid=False), "valid", c)

c = claims(exp=NOW - 14)
add("v4-exp-tolerance-inside", "exp 14 s ago: inside the 15 s tolerance", V4, [SECRET_A], v4_token(SECRET_A, c),
    "valid", c)

c = claims(exp=NOW - 14.5)
add("v5-exp-tolerance-fraction", "exp 14.5 s ago (a fraction): inside the tolerance", HTTP, [SECRET_A],
    v5_token(SECRET_A, HTTP, c), "valid", c)

c = claims(nbf=NOW + 15)
add("v4-nbf-tolerance-edge", "nbf 15 s ahead: at the edge of the tolerance, accepted", V4, [SECRET_A],
    v4_token(SECRET_A, c), "valid", c)

c = claims(iat=NOW + 15)
add("v5-iat-tolerance-edge", "iat 15 s ahead: at the edge of the tolerance, accepted", HTTP, [SECRET_A],
    v5_token(SECRET_A, HTTP, c), "valid", c)

c = claims(picture=None, name="Zoë “Ω” 漢字", role="admin", groups=["a", "b"], org={"id": 7, "beta": True},
           email=None)
add("v5-custom-claims", "custom claims from a jwt callback, no picture or email, non-ASCII name", HTTPS,
    [SECRET_A], v5_token(SECRET_A, HTTPS, c), "valid", c)

c = claims()
c["picture"] = None
add("v4-null-picture", "picture null, as next-auth writes for a user without image", V4, [SECRET_A],
    v4_token(SECRET_A, c), "valid", c)

c = claims()
hdr = '{"enc":"A256CBC-HS512", "kid":"%s","alg":"dir","typ":"JWT"}' % thumbprint(v5_key(SECRET_A, HTTP))
add("v5-header-other-order", "v5 header in another member order, with spaces and an extra member", HTTP,
    [SECRET_A], raw_encrypt(hdr, compact(c), v5_key(SECRET_A, HTTP), "A256CBC-HS512"), "valid", c)

# ---------------------------------------------------------------- time failures (after authentication)
c = claims(exp=NOW - 15)
add("v4-exp-tolerance-edge", "exp 15 s ago: now >= exp + 15, expired", V4, [SECRET_A], v4_token(SECRET_A, c),
    "expired")
c = claims(exp=NOW - 3600)
add("v5-expired", "exp an hour ago", HTTPS, [SECRET_A], v5_token(SECRET_A, HTTPS, c), "expired")
c = claims(nbf=NOW + 16)
add("v4-nbf-future", "nbf 16 s ahead: beyond the tolerance", V4, [SECRET_A], v4_token(SECRET_A, c),
    "notYetValid")
c = claims(iat=NOW + 16)
add("v5-iat-future", "iat 16 s ahead: beyond the tolerance", HTTP, [SECRET_A], v5_token(SECRET_A, HTTP, c),
    "notYetValid")

# ---------------------------------------------------------------- keys
c = claims()
add("v4-wrong-secret", "v4 token decoded with another secret", V4, [SECRET_B], t_v4, "invalid")
add("v5-wrong-secret", "v5 token decoded with another secret (kid matches nothing)", HTTP, [SECRET_B], t_v5,
    "invalid")
add("v5-salt-mismatch-http", "token for __Secure-authjs.session-token decoded as authjs.session-token", HTTP,
    [SECRET_A], t_v5s, "invalid")
add("v5-salt-mismatch-https", "token for authjs.session-token decoded as __Secure-authjs.session-token", HTTPS,
    [SECRET_A], t_v5, "invalid")
add("v4-token-as-v5", "a v4 token (A256GCM, no kid) decoded with the v5 derivation", HTTP, [SECRET_A], t_v4,
    "invalid")
add("v5-token-as-v4", "a v5 token (A256CBC-HS512) decoded as v4", V4, [SECRET_A], t_v5, "invalid")
c = claims()
add("v5-no-kid-second-secret", "v5 without kid under the second secret: only the first is tried", HTTP,
    [SECRET_B, SECRET_A], v5_token(SECRET_A, HTTP, c, kid=False), "invalid")
c = claims()
add("v5-kid-wrong-secret", "v5 whose kid names secret A but whose content is under secret C", HTTP,
    [SECRET_A], raw_encrypt('{"alg":"dir","enc":"A256CBC-HS512","kid":"%s"}' % thumbprint(v5_key(SECRET_A, HTTP)),
                            compact(c), v5_key(SECRET_C, HTTP), "A256CBC-HS512"), "invalid")
c = claims()
add("v5-gcm-kid-of-cbc-key", "A256GCM whose kid is the 64-byte key's thumbprint", HTTP, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM","kid":"%s"}' % thumbprint(v5_key(SECRET_A, HTTP)), compact(c),
                v5_key(SECRET_A, HTTP, 32), "A256GCM"), "invalid")
c = claims()
add("v4-other-derivation", "v4 header, content under the v5 32-byte key", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', compact(c), v5_key(SECRET_A, HTTP, 32), "A256GCM"), "invalid")

# ---------------------------------------------------------------- tampering, one segment at a time
add("v4-tamper-header", "one header character changed", V4, [SECRET_A], flip(t_v4, 0, 5), "invalid")
add("v5-tamper-header", "one header character changed", HTTP, [SECRET_A], flip(t_v5, 0, 5), "invalid")
parts = t_v5.split(".")
reencoded = b64(json.dumps({"alg": "dir", "enc": "A256CBC-HS512", "kid": json.loads(
    base64.urlsafe_b64decode(parts[0] + "==="))["kid"]}, separators=(", ", ":")).encode())
add("v5-tamper-header-reencoded", "the same header re-encoded with spaces: the AAD changes", HTTP, [SECRET_A],
    ".".join([reencoded] + parts[1:]), "invalid")
add("v4-tamper-encrypted-key", "a non-empty encrypted key segment", V4, [SECRET_A],
    ".".join([t_v4.split(".")[0], "AAAA"] + t_v4.split(".")[2:]), "invalid")
add("v4-tamper-iv", "one IV character changed", V4, [SECRET_A], flip(t_v4, 2), "invalid")
add("v5-tamper-iv", "one IV character changed", HTTPS, [SECRET_A], flip(t_v5s, 2), "invalid")
add("v4-tamper-ciphertext", "one ciphertext character changed", V4, [SECRET_A], flip(t_v4, 3), "invalid")
add("v5-tamper-ciphertext", "one ciphertext character changed", HTTP, [SECRET_A], flip(t_v5, 3, 10), "invalid")
add("v4-tamper-tag", "one tag character changed", V4, [SECRET_A], flip(t_v4, 4), "invalid")
add("v5-tamper-tag", "one tag character changed", HTTP, [SECRET_A], flip(t_v5, 4, 20), "invalid")
p = t_v5.split(".")
add("v5-truncated-tag", "tag cut to 16 bytes (the A256CBC-HS256 size)", HTTP, [SECRET_A],
    ".".join(p[:4] + [b64(base64.urlsafe_b64decode(p[4] + "==")[:16])]), "invalid")
add("v5-ciphertext-block-dropped", "the last ciphertext block dropped", HTTP, [SECRET_A],
    ".".join(p[:3] + [b64(base64.urlsafe_b64decode(p[3] + "==")[:-16]), p[4]]), "invalid")
add("v4-four-segments", "four segments", V4, [SECRET_A], ".".join(t_v4.split(".")[:4]), "invalid")
add("v4-six-segments", "six segments", V4, [SECRET_A], t_v4 + ".", "invalid")
add("v4-padded-base64", "base64 padding on the tag", V4, [SECRET_A], t_v4 + "==", "invalid")
p4 = t_v4.split(".")
add("v4-standard-base64", "the IV in standard base64 alphabet", V4, [SECRET_A],
    ".".join(p4[:2] + [p4[2].replace("-", "+").replace("_", "/") if ("-" in p4[2] or "_" in p4[2])
                       else p4[2][:-1] + "+"] + p4[3:]), "invalid")
tag_text = p4[4]
# A 16-byte tag ends with a character carrying 2 unused bits; set one of them.
last = tag_text[-1]
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
add("v4-noncanonical-tag", "the tag's unused low bits set (non-canonical base64url)", V4, [SECRET_A],
    ".".join(p4[:4] + [tag_text[:-1] + alphabet[alphabet.index(last) | 1]]), "invalid")
add("v4-empty", "an empty token", V4, [SECRET_A], "", "invalid")

# ---------------------------------------------------------------- headers and claims under the right key
K4 = v4_key(SECRET_A)
c = claims()
add("v4-zip-header", 'a correctly encrypted token whose header has "zip":"DEF"', V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM","zip":"DEF"}', compact(c), K4, "A256GCM"), "invalid")
add("v4-crit-header", 'a header with "crit":["exp"]', V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1}', compact(c), K4, "A256GCM"), "invalid")
add("v4-duplicate-header-member", 'a header with "enc" twice', V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256CBC-HS512","enc":"A256GCM"}', compact(c), K4, "A256GCM"), "invalid")
add("v4-alg-not-dir", 'a header with "alg":"A256GCMKW"', V4, [SECRET_A],
    raw_encrypt('{"alg":"A256GCMKW","enc":"A256GCM"}', compact(c), K4, "A256GCM"), "invalid")
add("v5-kid-not-string", 'a v5 header whose kid is a number', HTTP, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256CBC-HS512","kid":7}', compact(c), v5_key(SECRET_A, HTTP),
                "A256CBC-HS512"), "invalid")
add("v5-enc-a128cbc", 'a v5 token with enc A128CBC-HS256 under a 32-byte key', HTTP, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A128CBC-HS256"}', compact(c), v5_key(SECRET_A, HTTP, 32), "A128CBC-HS256"),
    "invalid")
add("v4-missing-exp", "authenticated claims without exp", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', compact(claims(exp=None)), K4, "A256GCM"), "invalid")
add("v4-exp-string", "authenticated claims whose exp is a string", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', compact(claims(exp=str(NOW + 100))), K4, "A256GCM"), "invalid")
add("v4-duplicate-claim", "authenticated claims with sub twice", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', b'{"sub":"a","exp":1900000000,"sub":"b"}', K4, "A256GCM"),
    "invalid")
add("v4-claims-not-object", "authenticated claims that are a JSON array", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', b'[1,2]', K4, "A256GCM"), "invalid")
add("v4-claims-not-json", "authenticated plaintext that is not JSON", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', b'exp=1900000000', K4, "A256GCM"), "invalid")
add("v4-name-not-string", "authenticated claims whose name is a number", V4, [SECRET_A],
    raw_encrypt('{"alg":"dir","enc":"A256GCM"}', compact(claims(name=12)), K4, "A256GCM"), "invalid")

valid = sum(1 for v in vectors if v["expect"] == "valid")
failing = len(vectors) - valid
assert failing >= valid, (valid, failing)
assert len({v["id"] for v in vectors}) == len(vectors)

document = {
    "generator": "Tests/Vectors/nextauth/generate_nextauth.py",
    "implementation": f"joserfc {joserfc.__version__} (JWE), cryptography (HKDF, AES, HMAC)",
    "notes": "format: v4, or the v5 session cookie name (the HKDF salt). now: Unix seconds. "
             "Clock tolerance 15 s. expect: valid, invalid, expired, notYetValid.",
    "counts": {"valid": valid, "failing": failing},
    "vectors": vectors,
}
# Imported (the browser tests make a live next-auth cookie with v4_token), it writes nothing.
if __name__ == "__main__":
    with open(os.path.join(HERE, "nextauth-vectors.json"), "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(vectors)} vectors: {valid} valid, {failing} failing")
