"""Peer table (issue 6, item 7): seal and open ops/s and token length of Python session-token
formats on the same payload as the Swift suite: the four standard claims with a 15-character
`sub` (see Benchmarks/Sources/BenchSupport/Fixtures.swift).

Prints one TSV row per peer: name, format, seal ops/s, open ops/s, token bytes.
Run by bench-peers.sh inside its virtual environment.
"""
import base64
import json
import os
import sys
import time
from importlib.metadata import version

SUBJECT = "user-0123456789"
IAT = 1_795_910_400
CLAIMS = {"sub": SUBJECT, "iat": IAT, "exp": IAT + 2_592_000,
          "jti": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()}
PAYLOAD = json.dumps(CLAIMS, separators=(",", ":")).encode()
KEY32 = bytes([1]) * 32
SECONDS = float(os.environ.get("PEER_SECONDS", "1.0"))


def rate(fn):
    """Operations per second of fn(), over about SECONDS after a short warm-up (best of 3)."""
    for _ in range(200):
        fn()
    n = 200
    while True:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t
        if dt > SECONDS / 3:
            break
        n *= 2
    best = dt
    for _ in range(2):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, time.perf_counter() - t)
    return n / best


def row(name, fmt, seal, open_, token):
    assert open_(token) is not None
    print(f"{name}\t{fmt}\t{rate(seal):.0f}\t{rate(lambda: open_(token)):.0f}\t{len(token)}", flush=True)


def joserfc_rows():
    from joserfc import jwe
    from joserfc.drafts.jwe_chacha20 import register_chacha20_poly1305
    from joserfc.jwe import JWERegistry
    from joserfc.jwk import OctKey
    register_chacha20_poly1305()
    reg = JWERegistry(algorithms=["dir", "XC20P", "A256GCM"])
    key = OctKey.import_key(KEY32)
    v = version("joserfc")
    for enc in ("XC20P", "A256GCM"):
        header = {"alg": "dir", "enc": enc, "kid": "bench-k0"}
        seal = lambda h=header: jwe.encrypt_compact(h, PAYLOAD, key, registry=reg)
        def open_(t):
            obj = jwe.decrypt_compact(t, key, registry=reg)
            return json.loads(obj.plaintext)
        row(f"joserfc {v}", f"JWE dir+{enc}", seal, open_, seal())


def jwcrypto_rows():
    from jwcrypto import jwe, jwk
    from jwcrypto.common import json_encode
    key = jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(KEY32).rstrip(b"=").decode())
    header = json_encode({"alg": "dir", "enc": "A256GCM", "kid": "bench-k0"})
    def seal():
        t = jwe.JWE(PAYLOAD, protected=header)
        t.add_recipient(key)
        return t.serialize(compact=True)
    def open_(s):
        t = jwe.JWE()
        t.deserialize(s, key=key)
        return json.loads(t.payload)
    row(f"jwcrypto {version('jwcrypto')}", "JWE dir+A256GCM", seal, open_, seal())


def fernet_rows():
    from cryptography.fernet import Fernet
    f = Fernet(base64.urlsafe_b64encode(KEY32))
    seal = lambda: f.encrypt(PAYLOAD)
    open_ = lambda t: json.loads(f.decrypt(t))
    row(f"cryptography {version('cryptography')}", "Fernet (AES-128-CBC+HMAC)", seal, open_, seal())


def pyseto_rows():
    import pyseto
    from pyseto import Key
    key = Key.new(version=4, purpose="local", key=KEY32)
    seal = lambda: pyseto.encode(key, PAYLOAD)
    open_ = lambda t: json.loads(pyseto.decode(key, t).payload)
    row(f"pyseto {version('pyseto')}", "PASETO v4.local", seal, open_, seal())


if __name__ == "__main__":
    print(f"# Python {sys.version.split()[0]}, payload {len(PAYLOAD)} B: {PAYLOAD.decode()}", file=sys.stderr)
    for fn in (joserfc_rows, jwcrypto_rows, fernet_rows, pyseto_rows):
        try:
            fn()
        except Exception as e:  # one peer failing must not hide the others
            print(f"# {fn.__name__} failed: {e!r}", file=sys.stderr)
