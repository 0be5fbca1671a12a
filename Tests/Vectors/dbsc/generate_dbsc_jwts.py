#!/usr/bin/env python3
"""Regenerate (or --check) forged-jwts.json: DBSC `Secure-Session-Response` test vectors.

    venv/bin/python generate_dbsc_jwts.py            # write forged-jwts.json, README.md table, then check
    venv/bin/python generate_dbsc_jwts.py --check    # only check the existing forged-jwts.json

Keys are derived deterministically from SEED (EC scalars and RSA primes come from a
SHA-256 counter-mode stream), so every run produces the same public keys and no private
key is stored anywhere.  Raw-`cryptography` ES256 signatures use RFC 6979 deterministic
nonces and RS256 is deterministic, so those JWTs are reproducible; the JWTs produced by
jwcrypto and joserfc use random ECDSA nonces and differ from run to run.

Pipeline order of the strict reference check (the first failing stage is the label):
    malformed -> algorithm -> type -> key -> signature -> challenge
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import sys
from importlib.metadata import version

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "forged-jwts.json")
README = os.path.join(HERE, "README.md")
SEED = b"swift-session-token/dbsc-forged/v1"
OFFERED = ["ES256", "RS256"]
STAGES = ["malformed", "algorithm", "type", "key", "signature", "challenge"]
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
P256_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
TYP = "dbsc+jwt"


# ----------------------------------------------------------------------------- helpers
def stream(label, nbytes):
    out, c = b"", 0
    while len(out) < nbytes:
        out += hashlib.sha256(SEED + b"|" + label.encode() + b"|" + c.to_bytes(4, "big")).digest()
        c += 1
    return out[:nbytes]


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jd(o):
    return json.dumps(o, separators=(",", ":"))


def i2b(i, n=None):
    n = n or max(1, (i.bit_length() + 7) // 8)
    return i.to_bytes(n, "big")


def challenge(label):
    """~200 chars of base64url alphabet with '.' separators, like a sealed server token."""
    return "v1." + b64u(stream(label + "/nonce", 12)) + "." + b64u(stream(label + "/box", 118)) + \
        "." + b64u(stream(label + "/tag", 16))


# ----------------------------------------------------------------------------- keys
def ec_key(label, curve=ec.SECP256R1(), order=P256_N):
    d = int.from_bytes(stream("ec/" + label, 48), "big") % (order - 1) + 1
    return ec.derive_private_key(d, curve)


def ec_key_with(label, pred):
    for i in range(100000):
        k = ec_key(f"{label}/{i}")
        if pred(k.public_key().public_numbers()):
            return k
    raise RuntimeError("no key found for " + label)


SMALL_PRIMES = [p for p in range(3, 3000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def probable_prime(n, label):
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for i in range(40):
        a = int.from_bytes(stream(f"{label}/mr{i}", 32), "big") % (n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def gen_prime(bits, label, cond=lambda c: True):
    ctr = 0
    while True:
        b = stream(f"prime/{label}/{ctr}", (bits + 7) // 8)
        ctr += 1
        c = int.from_bytes(b, "big") >> (8 * len(b) - bits)
        c |= (3 << (bits - 2)) | 1  # top two bits set: p*q has exactly bits(p)+bits(q) bits
        if any(c % sp == 0 for sp in SMALL_PRIMES) or not cond(c):
            continue
        if probable_prime(c, f"prime/{label}/{ctr}"):
            return c


def rsa_primes(bits, label, cond=lambda c: (c - 1) % 65537 != 0):
    p = gen_prime(bits - bits // 2, label + "/p", cond)
    q = gen_prime(bits // 2, label + "/q", cond)
    assert (p * q).bit_length() == bits
    return p, q


def rsa_key(bits, label, e=65537):
    p, q = rsa_primes(bits, label)
    n = p * q
    d = pow(e, -1, (p - 1) * (q - 1))
    return rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                                 rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, n)).private_key()


def pub_jwk(key):
    if isinstance(key, ec.EllipticCurvePrivateKey):
        key = key.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        nums = key.public_numbers()
        size = (key.curve.key_size + 7) // 8
        return {"kty": "EC", "crv": {"secp256r1": "P-256", "secp384r1": "P-384"}[key.curve.name],
                "x": b64u(i2b(nums.x, size)), "y": b64u(i2b(nums.y, size))}
    if isinstance(key, rsa.RSAPrivateKey):
        key = key.public_key()
    nums = key.public_numbers()
    return {"kty": "RSA", "n": b64u(i2b(nums.n)), "e": b64u(i2b(nums.e))}


def priv_jwk(key):
    j = pub_jwk(key)
    pn = key.private_numbers()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        j["d"] = b64u(i2b(pn.private_value, 32))
    else:
        j.update({"d": b64u(i2b(pn.d)), "p": b64u(i2b(pn.p)), "q": b64u(i2b(pn.q)),
                  "dp": b64u(i2b(pn.dmp1)), "dq": b64u(i2b(pn.dmq1)), "qi": b64u(i2b(pn.iqmp))})
    return j


# ----------------------------------------------------------------------------- signing
def es256_raw(key, si, deterministic=True, high_s=None, hash_alg=None):
    der = key.sign(si, ec.ECDSA(hash_alg or hashes.SHA256(), deterministic_signing=deterministic))
    r, s = decode_dss_signature(der)
    if high_s is True and s <= P256_N // 2 or high_s is False and s > P256_N // 2:
        s = P256_N - s
    size = (key.curve.key_size + 7) // 8
    return i2b(r, size) + i2b(s, size)


def es256_der(key, si):
    return key.sign(si, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))


def rs256(key, si, h=None):
    return key.sign(si, padding.PKCS1v15(), h or hashes.SHA256())


def pkcs1_em(si, k):
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(si).digest()
    return b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info


def seg(x):
    """A JSON value, or the exact text/bytes of a JSON document, to a base64url segment."""
    if isinstance(x, str):
        x = x.encode()
    elif not isinstance(x, bytes):
        x = jd(x).encode()
    return b64u(x)


def jws(header, payload, signer, hseg=None, pseg=None):
    hseg = hseg if hseg is not None else seg(header)
    pseg = pseg if pseg is not None else seg(payload)
    sig = signer((hseg + "." + pseg).encode())
    return hseg + "." + pseg + "." + b64u(sig)


def split(t):
    return t.split(".")


def jwcrypto_sign(key, alg, header, payload):
    from jwcrypto import jwk as jwk_mod, jws as jws_mod
    s = jws_mod.JWS(jd(payload).encode())
    s.add_signature(jwk_mod.JWK.from_pyca(key), alg=None, protected=jd(header))
    return s.serialize(compact=True)


def joserfc_sign(key, alg, header, payload):
    from joserfc import jws as jjws
    from joserfc.jwk import ECKey, RSAKey
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    k = (ECKey if isinstance(key, ec.EllipticCurvePrivateKey) else RSAKey).import_key(pem)
    return jjws.serialize_compact(header, jd(payload).encode(), k, algorithms=[alg])


# ----------------------------------------------------------------------------- generation
def generate():
    print("deriving keys ...", file=sys.stderr)
    K = {
        "ec_a": ec_key("a"), "ec_b": ec_key("b"), "ec_c": ec_key("c"), "ec_reg": ec_key("registered"),
        "ec_attacker": ec_key("attacker"),
        "ec_lz": ec_key_with("leading-zero-x", lambda n: n.x < (1 << 248)),
        "ec_p384": ec_key("p384", ec.SECP384R1(),
                          0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973),
    }
    for bits, lab in [(2048, "rsa2048"), (3072, "rsa3072"), (4096, "rsa4096"), (2048, "rsa_reg"),
                      (2048, "rsa_attacker"), (1024, "rsa1024"), (2047, "rsa2047")]:
        print(f"  {lab}", file=sys.stderr)
        K[lab] = rsa_key(bits, lab)
    cases = []

    def add(name, expect, why, jwt, mode="registration", ch=None, producer="cryptography",
            reg=None, isolated=None, **extra):
        c = {"name": name, "mode": mode, "challenge": ch, "jwt": jwt, "expect": expect, "why": why}
        if reg is not None:
            c["registered_jwk"], c["registered_alg"] = reg
        c.update(extra)
        c["producer"] = producer
        if isolated is not None:
            c["_lax_accepts"] = isolated  # internal expectation, stripped before writing
        assert name not in {x["name"] for x in cases}, name
        cases.append(c)

    def H(alg="ES256", jwk=None, typ=TYP, **more):
        h = {"alg": alg, "typ": typ}
        if jwk is not None:
            h["jwk"] = jwk
        h.update(more)
        return {k: v for k, v in h.items() if v is not None}

    def P(ch, **more):
        return dict({"jti": ch}, **more)

    es = lambda k, **kw: (lambda si: es256_raw(k, si, **kw))
    rs = lambda k: (lambda si: rs256(k, si))
    ja, jb = pub_jwk(K["ec_a"]), pub_jwk(K["ec_b"])
    jr2 = pub_jwk(K["rsa2048"])

    # ---------------------------------------------------------------- accept
    ch = challenge("acc1")
    add("es256-valid-registration-jwcrypto", "accept", "valid ES256 registration (jwcrypto)",
        jwcrypto_sign(K["ec_a"], "ES256", H(jwk=ja), P(ch)), ch=ch, producer="jwcrypto", alg="ES256")
    ch = challenge("acc2")
    add("es256-valid-registration-joserfc-authorization", "accept",
        "valid ES256 registration with authorization (joserfc)",
        joserfc_sign(K["ec_b"], "ES256", H(jwk=jb), P(ch, authorization="auth-code-123")),
        ch=ch, producer="joserfc", alg="ES256")
    ch = challenge("acc3")
    add("es256-valid-registration-cryptography-high-s", "accept",
        "valid ES256, s > n/2 (JWS does not require low-S)",
        jws(H(jwk=pub_jwk(K["ec_c"])), P(ch), es(K["ec_c"], high_s=True)), ch=ch, alg="ES256")
    ch = challenge("acc4")
    add("es256-valid-registration-cryptography-low-s-authorization", "accept",
        "valid ES256, s <= n/2, with authorization",
        jws(H(jwk=pub_jwk(K["ec_c"])), P(ch, authorization="x" * 40), es(K["ec_c"], high_s=False)),
        ch=ch, alg="ES256")
    ch = challenge("acc5")
    hdr_ws = '{ "typ" : "dbsc+jwt",\n  "jwk" : ' + json.dumps(ja) + ' ,\n  "alg" : "ES256" }'
    add("es256-valid-registration-header-whitespace", "accept",
        "header JSON has whitespace and other member order; signed over the bytes sent",
        jws(hdr_ws, P(ch), es(K["ec_a"])), ch=ch, alg="ES256")
    ch = challenge("acc6")
    assert i2b(K["ec_lz"].public_key().public_numbers().x, 32)[0] == 0
    add("es256-valid-registration-x-leading-zero-byte", "accept",
        "x coordinate begins with 0x00 (still 32 bytes)",
        jws(H(jwk=pub_jwk(K["ec_lz"])), P(ch), es(K["ec_lz"])), ch=ch, alg="ES256")
    ch = challenge("acc7")
    add("rs256-2048-valid-registration-jwcrypto", "accept", "valid RS256 2048-bit (jwcrypto)",
        jwcrypto_sign(K["rsa2048"], "RS256", H("RS256", jr2), P(ch)), ch=ch, producer="jwcrypto", alg="RS256")
    ch = challenge("acc8")
    add("rs256-3072-valid-registration-joserfc-authorization", "accept",
        "valid RS256 3072-bit with authorization (joserfc)",
        joserfc_sign(K["rsa3072"], "RS256", H("RS256", pub_jwk(K["rsa3072"])), P(ch, authorization="Bearer abc.def")),
        ch=ch, producer="joserfc", alg="RS256")
    ch = challenge("acc9")
    add("rs256-4096-valid-registration-cryptography", "accept", "valid RS256 4096-bit",
        jws(H("RS256", pub_jwk(K["rsa4096"])), P(ch), rs(K["rsa4096"])), ch=ch, alg="RS256")
    reg_es = (pub_jwk(K["ec_reg"]), "ES256")
    reg_rs = (pub_jwk(K["rsa_reg"]), "RS256")
    reg_rs4096 = (pub_jwk(K["rsa4096"]), "RS256")
    ch = challenge("acc10")
    add("refresh-es256-valid", "accept", "valid ES256 refresh (jwcrypto)",
        jwcrypto_sign(K["ec_reg"], "ES256", H(), P(ch)), mode="refresh", ch=ch, reg=reg_es, producer="jwcrypto")
    ch = challenge("acc11")
    add("refresh-rs256-2048-valid", "accept", "valid RS256 refresh (joserfc)",
        joserfc_sign(K["rsa_reg"], "RS256", H("RS256"), P(ch)), mode="refresh", ch=ch, reg=reg_rs, producer="joserfc")
    ch = challenge("acc12")
    add("refresh-rs256-4096-valid-cryptography", "accept", "valid RS256 4096-bit refresh",
        jws(H("RS256"), P(ch), rs(K["rsa4096"])), mode="refresh", ch=ch, reg=reg_rs4096)
    ch = challenge("acc13")
    add("refresh-es256-valid-foreign-jwk-ignored", "accept",
        "signed by the registered key; the header's (other) jwk is ignored on refresh",
        jws(H(jwk=pub_jwk(K["ec_attacker"])), P(ch), es(K["ec_reg"])), mode="refresh", ch=ch, reg=reg_es)

    # ---------------------------------------------------------------- malformed
    ch = challenge("mal")
    good = jws(H(jwk=ja), P(ch), es(K["ec_a"]))
    g = split(good)
    add("trailing-fourth-segment", "malformed", "a 4th segment after the signature",
        good + "." + b64u(b"extra"), ch=ch, isolated=True)
    add("trailing-dot", "malformed", "trailing '.' after the signature", good + ".", ch=ch, isolated=True)
    add("trailing-garbage-bytes", "malformed", "non-base64url bytes after the signature", good + "~!", ch=ch,
        isolated=True)
    add("trailing-space", "malformed", "trailing space", good + " ", ch=ch, isolated=True)
    add("trailing-crlf", "malformed", "trailing CR LF", good + "\r\n", ch=ch, isolated=True)
    add("leading-space", "malformed", "leading space", " " + good, ch=ch, isolated=True)
    add("inner-whitespace", "malformed", "space after the first '.'", g[0] + ". " + g[1] + "." + g[2], ch=ch)
    add("two-segments", "malformed", "no signature segment (header.payload)", g[0] + "." + g[1], ch=ch)
    add("empty-string", "malformed", "empty header value", "", ch=ch)
    add("empty-header-segment", "malformed", "header segment empty", "." + g[1] + "." + g[2], ch=ch)
    add("empty-payload-segment", "malformed", "payload segment empty (not a JSON object)",
        jws(H(jwk=ja), None, es(K["ec_a"]), pseg=""), ch=ch)

    def hdr_bytes_mod3(h, want_nonzero=True):
        t = jd(h)
        while (len(t.encode()) % 3 != 0) != want_nonzero:
            t = t[:-1] + " }"  # trailing whitespace inside the object keeps it valid JSON
        return t

    ht = hdr_bytes_mod3(H(jwk=ja))
    hp = base64.urlsafe_b64encode(ht.encode()).decode()
    assert hp.endswith("=")
    add("header-base64-padding", "malformed", "header segment carries '=' padding (signed as sent)",
        jws(None, P(ch), es(K["ec_a"]), hseg=hp), ch=ch, isolated=True)
    add("signature-base64-padding", "malformed", "signature segment carries '==' padding",
        good + "==", ch=ch, isolated=True)
    # standard alphabet: ASCII JSON only maps to '-'/'_' through bytes like '>', '?', '~', so use a
    # payload whose authorization holds them (the header has no free-form string)
    for i in range(3):
        t = jd(P(ch, authorization=" " * i + "a>b?c~d>>??~~"))
        if re.search(r"[-_]", b64u(t.encode())):
            break
    pstd = base64.b64encode(t.encode()).decode().rstrip("=")
    assert re.search(r"[+/]", pstd)
    add("payload-standard-base64-alphabet", "malformed",
        "payload uses '+'/'/' (standard base64), signed as sent",
        jws(H(jwk=ja), None, es(K["ec_a"]), pseg=pstd), ch=ch, isolated=True)
    for i in range(1000):
        sig = es256_raw(K["ec_a"], (g[0] + "." + g[1]).encode(), deterministic=(i == 0))
        if re.search(r"[-_]", b64u(sig)):
            break
    sstd = base64.b64encode(sig).decode().rstrip("=")
    add("signature-standard-base64-alphabet", "malformed", "signature uses '+'/'/' (standard base64)",
        g[0] + "." + g[1] + "." + sstd, ch=ch, isolated=True)

    def noncanon(s):
        assert len(s) % 4 in (2, 3)
        alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        v = alpha.index(s[-1])
        assert v & 1 == 0
        return s[:-1] + alpha[v | 1]

    add("header-noncanonical-trailing-bits", "malformed",
        "header's last char has non-zero unused bits (signed as sent)",
        jws(None, P(ch), es(K["ec_a"]), hseg=noncanon(b64u(ht.encode()))), ch=ch, isolated=True)
    pt = jd(P(ch))
    while len(pt.encode()) % 3 == 0:
        pt = pt[:-1] + " }"
    add("payload-noncanonical-trailing-bits", "malformed",
        "payload's last char has non-zero unused bits (signed as sent)",
        jws(H(jwk=ja), None, es(K["ec_a"]), pseg=noncanon(b64u(pt.encode()))), ch=ch, isolated=True)
    add("signature-noncanonical-trailing-bits", "malformed",
        "signature's last char has non-zero unused bits",
        g[0] + "." + g[1] + "." + noncanon(g[2]), ch=ch, isolated=True)
    add("header-json-array", "malformed", "header is a JSON array, not an object",
        jws([H(jwk=ja)], P(ch), es(K["ec_a"])), ch=ch)
    add("header-json-null", "malformed", "header is JSON null", jws("null", P(ch), es(K["ec_a"])), ch=ch)
    add("header-not-json", "malformed", "header is not JSON",
        jws('{"alg":"ES256","typ":"dbsc+jwt",', P(ch), es(K["ec_a"])), ch=ch)
    add("header-invalid-utf8", "malformed", "header JSON is not valid UTF-8",
        jws(jd(H(jwk=ja))[:-1].encode() + b',"kid":"\xff\xfe"}', P(ch), es(K["ec_a"])), ch=ch, isolated=True)
    add("payload-json-string", "malformed", "payload is a JSON string, not an object",
        jws(H(jwk=ja), json.dumps(ch), es(K["ec_a"])), ch=ch)
    add("payload-json-array", "malformed", "payload is a JSON array",
        jws(H(jwk=ja), [P(ch)], es(K["ec_a"])), ch=ch)
    hj = jd(H(jwk=ja))
    add("duplicate-alg-conflicting", "malformed", "two 'alg' members: \"none\" then \"ES256\"",
        jws('{"alg":"none",' + hj[1:], P(ch), es(K["ec_a"])), ch=ch, isolated=True)
    add("duplicate-alg-identical", "malformed", "two identical 'alg' members",
        jws(hj[:-1] + ',"alg":"ES256"}', P(ch), es(K["ec_a"])), ch=ch, isolated=True)
    add("duplicate-jti-payload", "malformed", "two 'jti' members: other challenge, then the right one",
        jws(H(jwk=ja), '{"jti":"%s","jti":"%s"}' % (challenge("other"), ch), es(K["ec_a"])), ch=ch,
        isolated=True)
    jwk_dup = '{"kty":"EC","crv":"P-256","x":"%s","x":"%s","y":"%s"}' % (
        pub_jwk(K["ec_attacker"])["x"], ja["x"], ja["y"])
    add("duplicate-jwk-x", "malformed", "jwk has two 'x' members (attacker's, then the real one)",
        jws('{"alg":"ES256","typ":"dbsc+jwt","jwk":%s}' % jwk_dup, P(ch), es(K["ec_a"])), ch=ch, isolated=True)
    add("crit-header", "malformed", "header has crit [\"exp\"]",
        jws(H(jwk=ja, crit=["exp"], exp=4102444800), P(ch), es(K["ec_a"])), ch=ch, isolated=True)
    add("crit-empty-array", "malformed", "header has crit []",
        jws(H(jwk=ja, crit=[]), P(ch), es(K["ec_a"])), ch=ch, isolated=True)

    # ---------------------------------------------------------------- algorithm
    ch = challenge("alg")
    add("alg-none", "algorithm", "alg none is never offered",
        seg(H("none", ja)) + "." + seg(P(ch)) + ".", ch=ch)
    add("alg-none-with-es256-signature", "algorithm", "alg none, yet a valid ES256 signature attached",
        jws(H("none", ja), P(ch), es(K["ec_a"])), ch=ch)
    spki = K["ec_a"].public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    add("alg-hs256-key-confusion", "algorithm", "HS256 keyed with the jwk's public key PEM",
        jws(H("HS256", ja), P(ch), lambda si: hmac.new(spki, si, hashlib.sha256).digest()), ch=ch)
    add("alg-es384", "algorithm", "ES384 not offered (P-256 key, SHA-384)",
        jws(H("ES384", ja), P(ch), es(K["ec_a"], hash_alg=hashes.SHA384())), ch=ch)
    add("alg-ps256", "algorithm", "PS256 not offered (RSA-PSS)",
        jws(H("PS256", jr2), P(ch), lambda si: K["rsa2048"].sign(
            si, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())), ch=ch)
    add("alg-rs384", "algorithm", "RS384 not offered",
        jws(H("RS384", jr2), P(ch), lambda si: rs256(K["rsa2048"], si, hashes.SHA384())), ch=ch)
    add("alg-lowercase-es256", "algorithm", "alg 'es256' (case differs)",
        jws(H("es256", ja), P(ch), es(K["ec_a"])), ch=ch)
    add("alg-es256-trailing-space", "algorithm", "alg 'ES256 '",
        jws(H("ES256 ", ja), P(ch), es(K["ec_a"])), ch=ch)
    h = H(jwk=ja)
    del h["alg"]
    add("alg-missing", "algorithm", "no alg member", jws(h, P(ch), es(K["ec_a"])), ch=ch)
    add("alg-non-string", "algorithm", "alg is an array [\"ES256\"]",
        jws(H(["ES256"], ja), P(ch), es(K["ec_a"])), ch=ch)
    add("refresh-alg-rs256-for-es256-key", "algorithm", "registered ES256, refresh claims RS256",
        jws(H("RS256", pub_jwk(K["rsa_attacker"])), P(ch), rs(K["rsa_attacker"])),
        mode="refresh", ch=ch, reg=reg_es)
    add("refresh-alg-es256-for-rs256-key", "algorithm", "registered RS256, refresh claims ES256",
        jws(H("ES256"), P(ch), es(K["ec_attacker"])), mode="refresh", ch=ch, reg=reg_rs)
    add("refresh-alg-none", "algorithm", "alg none on refresh", seg(H("none")) + "." + seg(P(ch)) + ".",
        mode="refresh", ch=ch, reg=reg_es)

    # ---------------------------------------------------------------- type
    ch = challenge("typ")
    for name, typ, why in [("typ-missing", None, "no typ member"), ("typ-jwt", "JWT", "typ 'JWT'"),
                           ("typ-uppercase", "DBSC+JWT", "typ 'DBSC+JWT' (case differs)"),
                           ("typ-application-prefix", "application/dbsc+jwt", "typ with 'application/' prefix"),
                           ("typ-trailing-space", "dbsc+jwt ", "typ 'dbsc+jwt '"),
                           ("typ-empty", "", "typ ''"), ("typ-non-string", [TYP], "typ is an array")]:
        add(name, "type", why, jws(H(jwk=ja, typ=typ), P(ch), es(K["ec_a"])), ch=ch)
    add("refresh-typ-jwt", "type", "typ 'JWT' on refresh", jws(H(typ="JWT"), P(ch), es(K["ec_reg"])),
        mode="refresh", ch=ch, reg=reg_es)

    # ---------------------------------------------------------------- key
    ch = challenge("key")
    add("jwk-missing", "key", "registration header has no jwk", jws(H(), P(ch), es(K["ec_a"])), ch=ch)
    add("jwk-not-object", "key", "jwk is a string holding JSON",
        jws(H(jwk=jd(ja)), P(ch), es(K["ec_a"])), ch=ch)
    for m in ["x", "y", "crv", "kty"]:
        j = dict(ja)
        del j[m]
        add(f"ec-missing-{m}", "key", f"EC jwk lacks '{m}'", jws(H(jwk=j), P(ch), es(K["ec_a"])), ch=ch)
    add("ec-x-not-string", "key", "x is a number",
        jws(H(jwk=dict(ja, x=K["ec_a"].public_key().public_numbers().x)), P(ch), es(K["ec_a"])), ch=ch)
    add("ec-crv-p384", "key", "crv P-384 under ES256 (real P-384 key, SHA-256)",
        jws(H(jwk=pub_jwk(K["ec_p384"])), P(ch), es(K["ec_p384"])), ch=ch)
    add("ec-crv-lowercase", "key", "crv 'p-256'", jws(H(jwk=dict(ja, crv="p-256")), P(ch), es(K["ec_a"])), ch=ch)
    add("es256-with-rsa-jwk", "key", "kty RSA under ES256",
        jws(H(jwk=jr2), P(ch), es(K["ec_a"])), ch=ch)
    add("rs256-with-ec-jwk", "key", "kty EC under RS256",
        jws(H("RS256", ja), P(ch), rs(K["rsa2048"])), ch=ch)
    add("ec-kty-oct", "key", "kty oct (symmetric) under ES256",
        jws(H(jwk={"kty": "oct", "k": b64u(stream("oct", 32))}), P(ch), es(K["ec_a"])), ch=ch)
    jlz = pub_jwk(K["ec_lz"])
    x31 = b64u(i2b(K["ec_lz"].public_key().public_numbers().x, 32)[1:])
    add("ec-x-31-bytes", "key", "x has its leading 0x00 stripped (31 bytes); same point otherwise",
        jws(H(jwk=dict(jlz, x=x31)), P(ch), es(K["ec_lz"])), ch=ch)
    y33 = b64u(b"\x00" + i2b(K["ec_a"].public_key().public_numbers().y, 32))
    add("ec-y-33-bytes", "key", "y has an extra leading 0x00 (33 bytes); same point otherwise",
        jws(H(jwk=dict(ja, y=y33)), P(ch), es(K["ec_a"])), ch=ch)
    add("ec-x-base64-padding", "key", "x is base64url with '=' padding",
        jws(H(jwk=dict(ja, x=ja["x"] + "=")), P(ch), es(K["ec_a"])), ch=ch)
    na = K["ec_a"].public_key().public_numbers()
    add("ec-point-off-curve", "key", "(x, y+1) is not on P-256",
        jws(H(jwk=dict(ja, y=b64u(i2b((na.y + 1) % P256_P, 32)))), P(ch), es(K["ec_a"])), ch=ch)
    add("ec-point-zeros", "key", "x = y = 0 (32 zero bytes each; 'infinity')",
        jws(H(jwk=dict(ja, x=b64u(bytes(32)), y=b64u(bytes(32)))), P(ch), es(K["ec_a"])), ch=ch)
    add("rsa-1024", "key", "RSA modulus 1024 bits",
        jws(H("RS256", pub_jwk(K["rsa1024"])), P(ch), rs(K["rsa1024"])), ch=ch)
    add("rsa-2047", "key", "RSA modulus 2047 bits",
        jws(H("RS256", pub_jwk(K["rsa2047"])), P(ch), rs(K["rsa2047"])), ch=ch)
    n2048 = K["rsa2048"].public_key().public_numbers().n
    hd = H("RS256", dict(jr2, e=b64u(b"\x01")))
    si = (seg(hd) + "." + seg(P(ch))).encode()
    add("rsa-e-1", "key", "e = 1 (signature = the padded message itself, valid under e=1)",
        jws(hd, P(ch), lambda si: pkcs1_em(si, 256)), ch=ch)
    # e = 2 (Rabin): p = q = 3 mod 4, find a header order whose EM is a square mod n
    p, q = rsa_primes(2048, "rsa_e2", cond=lambda c: c % 4 == 3)
    ne2 = p * q
    je2 = {"kty": "RSA", "n": b64u(i2b(ne2)), "e": b64u(b"\x02")}
    import itertools
    rabin = None
    for order in itertools.permutations(["alg", "typ", "jwk"]):
        for jorder in itertools.permutations(["kty", "n", "e"]):
            hdx = {k: {"alg": "RS256", "typ": TYP, "jwk": {m: je2[m] for m in jorder}}[k] for k in order}
            si = (seg(hdx) + "." + seg(P(ch))).encode()
            m = int.from_bytes(pkcs1_em(si, 256), "big")
            if pow(m, (p - 1) // 2, p) == 1 and pow(m, (q - 1) // 2, q) == 1:
                rp, rq = pow(m, (p + 1) // 4, p), pow(m, (q + 1) // 4, q)
                s = (rp + p * ((rq - rp) * pow(p, -1, q) % q)) % ne2
                assert pow(s, 2, ne2) == m
                rabin = jws(hdx, P(ch), lambda si, s=s: i2b(s, 256))
                break
        if rabin:
            break
    assert rabin
    add("rsa-e-2", "key", "e = 2 (even; Rabin signature that does verify as s^2 mod n)", rabin, ch=ch)
    add("rsa-e-65536", "key", "e = 65536 (even)",
        jws(H("RS256", dict(jr2, e=b64u(i2b(65536)))), P(ch), rs(K["rsa2048"])), ch=ch)
    for m in ["n", "e"]:
        j = dict(jr2)
        del j[m]
        add(f"rsa-missing-{m}", "key", f"RSA jwk lacks '{m}'", jws(H("RS256", j), P(ch), rs(K["rsa2048"])), ch=ch)
    add("ec-jwk-with-private-d", "key", "EC jwk carries private 'd'",
        jws(H(jwk=priv_jwk(K["ec_a"])), P(ch), es(K["ec_a"])), ch=ch)
    add("rsa-jwk-with-private-members", "key", "RSA jwk carries d, p, q, dp, dq, qi",
        jws(H("RS256", priv_jwk(K["rsa2048"])), P(ch), rs(K["rsa2048"])), ch=ch)

    # ---------------------------------------------------------------- signature
    ch = challenge("sig")
    add("es256-signed-by-other-key", "signature", "jwk is key A, signature by attacker key",
        jws(H(jwk=ja), P(ch), es(K["ec_attacker"])), ch=ch)
    add("rs256-signed-by-other-key", "signature", "jwk is RSA key A, signature by attacker RSA key",
        jws(H("RS256", jr2), P(ch), rs(K["rsa_attacker"])), ch=ch)
    add("es256-der-signature", "signature", "ES256 signature in DER, not raw r||s",
        jws(H(jwk=ja), P(ch), lambda si: es256_der(K["ec_a"], si)), ch=ch)
    add("es256-signature-63-bytes", "signature", "last byte of r||s dropped",
        jws(H(jwk=ja), P(ch), lambda si: es256_raw(K["ec_a"], si)[:63]), ch=ch)
    add("es256-signature-65-bytes-appended", "signature", "0x00 appended to r||s",
        jws(H(jwk=ja), P(ch), lambda si: es256_raw(K["ec_a"], si) + b"\x00"), ch=ch)
    add("es256-signature-65-bytes-prepended", "signature", "0x00 prepended to r||s",
        jws(H(jwk=ja), P(ch), lambda si: b"\x00" + es256_raw(K["ec_a"], si)), ch=ch)
    add("es256-empty-signature", "signature", "empty signature segment",
        seg(H(jwk=ja)) + "." + seg(P(ch)) + ".", ch=ch)
    add("rs256-empty-signature", "signature", "empty signature segment (RS256)",
        seg(H("RS256", jr2)) + "." + seg(P(ch)) + ".", ch=ch)
    add("es256-signature-zero", "signature", "r = s = 0", jws(H(jwk=ja), P(ch), lambda si: bytes(64)), ch=ch)
    add("es256-signature-r-s-swapped", "signature", "s||r instead of r||s",
        jws(H(jwk=ja), P(ch), lambda si: (lambda b: b[32:] + b[:32])(es256_raw(K["ec_a"], si))), ch=ch)
    add("es256-signature-r-equals-n", "signature", "r replaced by the group order n",
        jws(H(jwk=ja), P(ch), lambda si: i2b(P256_N, 32) + es256_raw(K["ec_a"], si)[32:]), ch=ch)
    hs, ps = seg(H(jwk=ja)), seg(P(ch))
    alt_h = json.dumps(H(jwk=ja))  # default separators: ", " and ": "
    add("es256-signed-over-reencoded-header", "signature",
        "signed over the header re-encoded with spaces; compact header sent",
        hs + "." + ps + "." + b64u(es256_raw(K["ec_a"], (seg(alt_h) + "." + ps).encode())), ch=ch)
    add("es256-signed-over-decoded-json", "signature", "signed over raw JSON 'header.payload', not base64url",
        hs + "." + ps + "." + b64u(es256_raw(K["ec_a"], (jd(H(jwk=ja)) + "." + jd(P(ch))).encode())), ch=ch)
    add("es256-payload-altered-after-signing", "signature",
        "authorization changed after signing",
        hs + "." + seg(P(ch, authorization="attacker")) + "." +
        b64u(es256_raw(K["ec_a"], (hs + "." + seg(P(ch, authorization="victim"))).encode())), ch=ch)
    # RS256 signature with a leading zero byte: find a challenge for which it happens
    for i in range(5000):
        chz = challenge(f"sig-lz/{i}")
        t = jws(H("RS256", jr2), P(chz), rs(K["rsa2048"]))
        if base64.urlsafe_b64decode(split(t)[2] + "==")[0] == 0:
            break
    else:
        raise RuntimeError("no leading-zero RS256 signature")
    sz = base64.urlsafe_b64decode(split(t)[2] + "==")
    assert sz[0] == 0
    add("rs256-signature-leading-zero-stripped", "signature",
        "255-byte signature: 256-byte value with its leading 0x00 removed",
        ".".join(split(t)[:2]) + "." + b64u(sz[1:]), ch=chz)
    add("rs256-signature-leading-zero-prepended", "signature", "257 bytes: 0x00 prepended",
        jws(H("RS256", jr2), P(ch), lambda si: b"\x00" + rs256(K["rsa2048"], si)), ch=ch)
    add("rs256-signature-equals-modulus", "signature", "signature value = n",
        jws(H("RS256", jr2), P(ch), lambda si: i2b(n2048, 256)), ch=ch)
    add("refresh-attacker-key-with-jwk", "signature",
        "refresh signed by attacker key, attacker jwk in header (ignored)",
        jws(H(jwk=pub_jwk(K["ec_attacker"])), P(ch), es(K["ec_attacker"])), mode="refresh", ch=ch, reg=reg_es)
    add("refresh-rs256-signed-by-other-key", "signature", "refresh signed by another RSA key",
        jws(H("RS256"), P(ch), rs(K["rsa_attacker"])), mode="refresh", ch=ch, reg=reg_rs)
    add("refresh-es256-der-signature", "signature", "refresh ES256 signature in DER",
        jws(H(), P(ch), lambda si: es256_der(K["ec_reg"], si)), mode="refresh", ch=ch, reg=reg_es)

    # ---------------------------------------------------------------- challenge
    ch = challenge("chal")
    for name, pl, why in [
            ("jti-mismatch", P(challenge("another-session")), "jti is another session's challenge"),
            ("jti-missing", {"authorization": "abc"}, "no jti member"),
            ("jti-number", {"jti": 12345}, "jti is a number"),
            ("jti-array", {"jti": [ch]}, "jti is an array holding the challenge"),
            ("jti-null", {"jti": None}, "jti is null"),
            ("jti-truncated", P(ch[:-1]), "jti lacks the challenge's last char"),
            ("jti-extended", P(ch + "A"), "jti has one extra char"),
            ("jti-trailing-space", P(ch + " "), "jti has a trailing space")]:
        add(name, "challenge", why, jws(H(jwk=ja), pl, es(K["ec_a"])), ch=ch)
    add("rs256-jti-mismatch", "challenge", "RS256, jti is another challenge",
        jws(H("RS256", jr2), P(challenge("another-session")), rs(K["rsa2048"])), ch=ch)
    add("refresh-jti-mismatch", "challenge", "refresh jti is a stale challenge",
        jws(H(), P(challenge("stale")), es(K["ec_reg"])), mode="refresh", ch=ch, reg=reg_es)
    reg_ch = challenge("registration-of-registered")
    add("refresh-replayed-registration-jwt", "challenge",
        "the registration JWT (registered key, old challenge) replayed on refresh",
        jws(H(jwk=reg_es[0]), P(reg_ch), es(K["ec_reg"])), mode="refresh", ch=ch, reg=reg_es)

    keys = {k: pub_jwk(v) for k, v in K.items()}
    keys["rsa_e2_modulus_only"] = je2
    return {"generator": "generate_dbsc_jwts.py",
            "libraries": {m: version(m) for m in ["cryptography", "jwcrypto", "joserfc"]},
            "offered": OFFERED,
            "note": "Keys are derived from a fixed seed; public_keys lists them for reference. "
                    "expect = first stage failing in the order " + " -> ".join(STAGES) + ".",
            "public_keys": keys,
            "cases": cases}


# ----------------------------------------------------------------------------- reference check
class Fail(Exception):
    pass


B64U = re.compile(r"^[A-Za-z0-9_-]*$")


def strict_b64(s):
    if not isinstance(s, str) or not B64U.match(s) or len(s) % 4 == 1:
        raise Fail("base64url")
    b = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    if b64u(b) != s:
        raise Fail("non-canonical base64url")
    return b


def lax_b64(s):
    s = s.strip().replace("+", "-").replace("/", "_")
    s = re.sub(r"[^A-Za-z0-9_-]", "", s)
    if len(s) % 4 == 1:
        s = s[:-1]
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def no_dups(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Fail("duplicate member " + k)
        d[k] = v
    return d


def reject_constant(c):
    raise Fail("non-JSON constant " + c)


def parse(jwt, lax=False):
    """-> (header, payload, signing_input, signature) or raise Fail (malformed)."""
    if lax:
        parts = [p for p in jwt.strip().split(".")]
        while len(parts) > 3 and parts[-1] == "":
            parts.pop()
        if len(parts) < 3:
            raise Fail("segments")
        parts = [p.strip() for p in parts[:3]]
        dec, loads = lax_b64, lambda b: json.loads(b.decode("utf-8", "replace"))
    else:
        if not jwt.isascii():
            raise Fail("non-ascii")
        parts = jwt.split(".")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise Fail("segments")
        dec = strict_b64

        def loads(b):
            try:
                t = b.decode("utf-8")
                return json.loads(t, object_pairs_hook=no_dups, parse_constant=reject_constant)
            except (UnicodeDecodeError, ValueError) as e:
                raise Fail("json: %s" % e)
    try:
        header, payload, sig = loads(dec(parts[0])), loads(dec(parts[1])), dec(parts[2])
    except (ValueError, base64.binascii.Error) as e:
        raise Fail("decode: %s" % e)
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise Fail("not an object")
    if "crit" in header and not lax:
        raise Fail("crit")
    return header, payload, (parts[0] + "." + parts[1]).encode(), sig


PRIVATE = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def load_key(jwk, alg):
    if not isinstance(jwk, dict):
        raise Fail("jwk not an object")
    if PRIVATE & set(jwk):
        raise Fail("private members")
    if alg == "ES256":
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
            raise Fail("kty/crv")
        x, y = strict_b64(jwk.get("x")), strict_b64(jwk.get("y"))
        if len(x) != 32 or len(y) != 32:
            raise Fail("coordinate length")
        try:
            return ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"),
                                                 ec.SECP256R1()).public_key()
        except ValueError:
            raise Fail("not on curve")
    if alg == "RS256":
        if jwk.get("kty") != "RSA":
            raise Fail("kty")
        n, e = (int.from_bytes(strict_b64(jwk.get(m)), "big") for m in ("n", "e"))
        if n.bit_length() < 2048 or e < 3 or e % 2 == 0 or e >= n:
            raise Fail("rsa parameters")
        try:
            return rsa.RSAPublicNumbers(e, n).public_key()
        except ValueError:
            raise Fail("rsa parameters rejected")
    raise Fail("alg")


def verify_sig(key, alg, si, sig):
    try:
        if alg == "ES256":
            if len(sig) != 64:
                return False
            r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
            if not (0 < r < P256_N and 0 < s < P256_N):
                return False
            key.verify(encode_dss_signature(r, s), si, ec.ECDSA(hashes.SHA256()))
        else:
            if len(sig) != (key.key_size + 7) // 8:
                return False
            key.verify(sig, si, padding.PKCS1v15(), hashes.SHA256())
        return True
    except InvalidSignature:
        return False


def lax_signature_ok(jwk, alg, si, sig):
    """Would the signature verify if the key/alg were read leniently (any size, any e, any listed
    curve, private members ignored, case-insensitive alg, ES384/PS256/RS384 honoured)?"""
    if not isinstance(jwk, dict) or not isinstance(alg, str):
        return None
    a = alg.strip().upper()
    try:
        ints = {m: int.from_bytes(lax_b64(jwk[m]), "big") for m in ("x", "y", "n", "e") if isinstance(jwk.get(m), str)}
        if a in ("ES256", "ES384") and jwk.get("kty") == "EC":
            curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}[jwk.get("crv", "").upper()]
            key = ec.EllipticCurvePublicNumbers(ints["x"], ints["y"], curve).public_key()
            half = len(sig) // 2
            der = encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
            key.verify(der, si, ec.ECDSA(hashes.SHA256() if a == "ES256" else hashes.SHA384()))
            return True
        if a in ("RS256", "RS384", "PS256") and jwk.get("kty") == "RSA":
            n, e = ints["n"], ints["e"]
            k = (n.bit_length() + 7) // 8
            if a == "RS256":
                return pow(int.from_bytes(sig, "big"), e, n) == int.from_bytes(pkcs1_em(si, k), "big")
            h = hashes.SHA384() if a == "RS384" else hashes.SHA256()
            pad = padding.PKCS1v15() if a == "RS384" else padding.PSS(padding.MGF1(hashes.SHA256()), 32)
            rsa.RSAPublicNumbers(e, n).public_key().verify(sig, si, pad, h)
            return True
    except (InvalidSignature, KeyError, ValueError):
        return False
    return None


def evaluate(case, lax=False):
    """All failing stages in pipeline order; a stage that cannot be evaluated is suffixed '?'."""
    try:
        header, payload, si, sig = parse(case["jwt"], lax)
    except Fail:
        return ["malformed"]
    fails = []
    alg = header.get("alg")
    refresh = case["mode"] == "refresh"
    alg_ok = isinstance(alg, str) and alg in OFFERED and (not refresh or alg == case["registered_alg"])
    if not alg_ok:
        fails.append("algorithm")
    if header.get("typ") != TYP or not isinstance(header.get("typ"), str):
        fails.append("type")
    key_alg = case["registered_alg"] if refresh else (alg if alg_ok else None)
    jwk = case["registered_jwk"] if refresh else header.get("jwk")
    key = None
    if key_alg is None:
        fails.append("key?")
        if lax_signature_ok(jwk, alg, si, sig) is not True:
            fails.append("signature?")
    else:
        try:
            key = load_key(jwk, key_alg)
        except Fail:
            fails.append("key")
            if lax_signature_ok(jwk, key_alg, si, sig) is not True:
                fails.append("signature?")
    if key is not None and not verify_sig(key, key_alg, si, sig):
        fails.append("signature")
    jti = payload.get("jti")
    if not (isinstance(jti, str) and jti == case["challenge"]):
        fails.append("challenge")
    return fails


def other_libs_accept(case):
    from jwcrypto import jwk as jwk_mod, jws as jws_mod
    from joserfc import jws as jjws
    from joserfc.jwk import ECKey, RSAKey
    h0 = case["jwt"].split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(h0 + "=" * (-len(h0) % 4)))
    jwk = case["registered_jwk"] if case["mode"] == "refresh" else header["jwk"]
    alg = case["registered_alg"] if case["mode"] == "refresh" else header["alg"]
    s = jws_mod.JWS()
    s.deserialize(case["jwt"])
    s.verify(jwk_mod.JWK(**jwk), alg=alg)
    k = (ECKey if jwk["kty"] == "EC" else RSAKey).import_key(jwk)
    registry = jjws.JWSRegistry(algorithms=[alg])
    registry.max_header_length = 4096  # default 512 is below an RSA-4096 registration header
    jjws.deserialize_compact(case["jwt"], k, registry=registry)
    return True


def check(doc, expectations=None):
    bad = 0
    counts = {}
    for c in doc["cases"]:
        counts[c["expect"]] = counts.get(c["expect"], 0) + 1
        fails = evaluate(c)
        got = fails[0] if fails else "accept"
        problems = []
        if got != c["expect"]:
            problems.append(f"reference says {got} ({fails})")
        if c["expect"] == "signature" and fails != ["signature"]:
            problems.append(f"signature case must fail only the signature, fails {fails}")
        if c["expect"] == "accept":
            try:
                other_libs_accept(c)
            except Exception as e:  # noqa
                problems.append(f"jwcrypto/joserfc refuse: {e!r}")
        if expectations and c["name"] in expectations:
            lax_ok = not evaluate(c, lax=True)
            if lax_ok != expectations[c["name"]]:
                problems.append(f"lax decoder accepts={lax_ok}, expected {expectations[c['name']]}")
        if problems:
            bad += 1
            print(f"FAIL {c['name']}: " + "; ".join(problems))
    names = [c["name"] for c in doc["cases"]]
    assert len(names) == len(set(names)), "duplicate case names"
    print("counts:", json.dumps(counts), "total", len(doc["cases"]))
    print(f"{len(doc['cases']) - bad} passed, {bad} failed")
    return bad == 0


def write_readme(doc):
    rows = []
    for c in doc["cases"]:
        fails = evaluate(c)
        also = ", ".join(f for f in fails[1:]) or "-"
        lax = "" if c["expect"] != "malformed" else ("yes" if not evaluate(c, lax=True) else "no")
        why = c["why"].replace("|", "\\|")
        rows.append(f"| `{c['name']}` | {c['mode']} | {c['expect']} | {why} | {also} | {lax} |")
    counts = {}
    for c in doc["cases"]:
        counts[c["expect"]] = counts.get(c["expect"], 0) + 1
    libs = ", ".join(f"{k} {v}" for k, v in doc["libraries"].items())
    acc = [c["jwt"] for c in doc["cases"] if c["expect"] == "accept"]
    longest = max(acc, key=len)
    sizes = (f"The longest accept case (`RS256` 4096-bit registration) is {len(longest)} characters, "
             f"its header segment {len(longest.split('.')[0])}; a size limit in the verifier must allow that "
             f"(joserfc's default 512-byte header limit does not, so the check raises it).")
    text = f"""# DBSC forged JWT vectors

`forged-jwts.json` holds {len(doc['cases'])} `Secure-Session-Response` JWTs for testing the
server-side DBSC verifier (offered algorithms `{'`, `'.join(doc['offered'])}`), made with {libs}.

Counts: {', '.join(f'{k} {v}' for k, v in counts.items())}.

{sizes}

## Regenerate

```sh
cd /work/helpers/dbsc-forged && python3 -m venv venv && venv/bin/pip install "cryptography>=42" "jwcrypto>=1.5" "joserfc>=1.0,<2" && venv/bin/python generate_dbsc_jwts.py
```

This rewrites `forged-jwts.json` and this README, then runs the check. `venv/bin/python
generate_dbsc_jwts.py --check` only checks the existing JSON.

* Keys are derived from a fixed seed (EC scalars and RSA primes from a SHA-256 stream;
  no private key is stored). `public_keys` in the JSON lists them. Raw-`cryptography`
  ES256 signatures use RFC 6979 nonces, so those JWTs are reproducible; the jwcrypto and
  joserfc JWTs use random nonces and change on every run (they stay valid), as does
  `alg-ps256` (random PSS salt).
* The check (`--check`) runs a strict reference verifier written on `cryptography`:
  every `accept` case must verify (and also verify with jwcrypto and joserfc), every
  other case must fail first at its `expect` stage, in the order
  `malformed -> algorithm -> type -> key -> signature -> challenge`, and a `signature`
  case must fail the signature and nothing else.

## Case fields

`name`, `mode` (`registration`: key from the header's `jwk`; `refresh`: key is
`registered_jwk` with `registered_alg`, a header `jwk` is ignored), `challenge` (the
expected `jti`), `jwt` (the header value, byte for byte, including any deliberate
whitespace), `expect`, `why`, `producer` (`cryptography`, `jwcrypto` or `joserfc`),
and for registration accept cases `alg`.

## Cases

"also fails" lists the later stages that fail too. `key?` means the key was not checked
because the algorithm is unusable; `signature?` means the signature does not verify even
when the alg and key are read leniently (case-insensitive alg, ES384/PS256/RS384 honoured,
any key size, any `e`, P-384 allowed, private members ignored); its absence on an
`algorithm` or `key` case means the signature is genuine under that lenient reading. "lax accepts" (malformed cases only) says whether a lax
decoder (trims whitespace, ignores extra segments, accepts padding, `+`/`/` and stray bits,
last duplicate wins, ignores `crit`) followed by the strict checks would accept it: `yes`
means the malformation is the only defect.

| name | mode | expect | why | also fails | lax accepts |
| --- | --- | --- | --- | --- | --- |
""" + "\n".join(rows) + "\n"
    with open(README, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="only check the existing forged-jwts.json")
    a = ap.parse_args()
    if a.check:
        with open(OUT) as f:
            doc = json.load(f)
        sys.exit(0 if check(doc) else 1)
    doc = generate()
    expectations = {c["name"]: c.pop("_lax_accepts") for c in doc["cases"] if "_lax_accepts" in c}
    ok = check(doc, expectations)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=True)
        f.write("\n")
    write_readme(doc)
    print("wrote", OUT, "and", README)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
