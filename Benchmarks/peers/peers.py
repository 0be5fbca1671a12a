"""Peer table (issue 6, item 7): seal and open ops/s and token length of Python session-token
formats on the same payload as the Swift suite: the four standard claims with a 15-character
`sub` (see Benchmarks/Sources/BenchSupport/Fixtures.swift).

Prints one TSV row per peer: name, format, seal ops/s, open ops/s, token bytes.
Run by bench-peers.sh inside its virtual environment.

With --sweep SIZE..., the cost curve instead (make bench-plot): opening a token whose claims
are SIZE bytes of JSON, the Swift sweep's five claims padded with a `pad` string, for joserfc
(dir+XC20P), Fernet and PASETO v4.local. One TSV row per peer and size: name, format, claims
bytes, token bytes, open ns/op.
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


def padded_claims(size):
    """The Swift sweep's claims (sub, iat, exp, a 22-byte sid, auth_time) and a pad: `size` bytes."""
    claims = {"sub": SUBJECT, "iat": IAT, "exp": IAT + 2_592_000,
              "sid": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode(), "auth_time": IAT, "pad": ""}
    bare = len(json.dumps(claims, separators=(",", ":")))
    claims["pad"] = "x" * (size - bare)
    payload = json.dumps(claims, separators=(",", ":")).encode()
    assert len(payload) == size
    return payload


def sweep_peers():
    """(name, format, seal(payload) -> token, open(token) -> claims) for the three curve peers."""
    from cryptography.fernet import Fernet
    from joserfc import jwe
    from joserfc.drafts.jwe_chacha20 import register_chacha20_poly1305
    from joserfc.jwe import JWERegistry
    from joserfc.jwk import OctKey
    import pyseto
    register_chacha20_poly1305()
    reg = JWERegistry(algorithms=["dir", "XC20P"])
    jose_key = OctKey.import_key(KEY32)
    header = {"alg": "dir", "enc": "XC20P", "kid": "bench-k0"}
    yield (f"joserfc {version('joserfc')}", "JWE dir+XC20P",
           lambda p: jwe.encrypt_compact(header, p, jose_key, registry=reg),
           lambda t: json.loads(jwe.decrypt_compact(t, jose_key, registry=reg).plaintext))
    fernet = Fernet(base64.urlsafe_b64encode(KEY32))
    yield (f"cryptography {version('cryptography')}", "Fernet (AES-128-CBC+HMAC)",
           fernet.encrypt, lambda t: json.loads(fernet.decrypt(t)))
    paseto_key = pyseto.Key.new(version=4, purpose="local", key=KEY32)
    yield (f"pyseto {version('pyseto')}", "PASETO v4.local",
           lambda p: pyseto.encode(paseto_key, p), lambda t: json.loads(pyseto.decode(paseto_key, t).payload))


def sweep(sizes):
    for name, fmt, seal, open_ in sweep_peers():
        for size in sizes:
            token = seal(padded_claims(size))
            assert len(open_(token)["pad"]) > 0
            ns = 1e9 / rate(lambda: open_(token))
            print(f"{name}\t{fmt}\t{size}\t{len(token)}\t{ns:.0f}", flush=True)


if __name__ == "__main__" and sys.argv[1:2] == ["--sweep"]:
    print(f"# Python {sys.version.split()[0]}, open against claims size", file=sys.stderr)
    sweep([int(a) for a in sys.argv[2:]])
elif __name__ == "__main__":
    print(f"# Python {sys.version.split()[0]}, payload {len(PAYLOAD)} B: {PAYLOAD.decode()}", file=sys.stderr)
    for fn in (joserfc_rows, jwcrypto_rows, fernet_rows, pyseto_rows):
        try:
            fn()
        except Exception as e:  # one peer failing must not hide the others
            print(f"# {fn.__name__} failed: {e!r}", file=sys.stderr)
