#!/usr/bin/env python3
"""Checks that tokens encoded by this package (`session-token nextauth encode`) decrypt with two
independent JOSE implementations, joserfc and jwcrypto, under next-auth's own key derivation,
and records the result in swift-encoded-check.json, which
Tests/SessionTokenNextAuthTests/InteropFixtureTests.swift reads. CI need not run this script.

Run after building the tool:
  swift build --product session-token
  pip install joserfc jwcrypto cryptography
  python3 Tests/Vectors/nextauth/check_swift_tokens.py [path/to/session-token]
"""
import base64
import hashlib
import json
import os
import subprocess
import sys

import joserfc
from jwcrypto.version import __version__ as jwcrypto_version
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwe as rfc_jwe
from joserfc.jwk import OctKey
from jwcrypto import jwe as jc_jwe
from jwcrypto import jwk as jc_jwk

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TOOL = sys.argv[1] if len(sys.argv) > 1 else next(
    p for p in (os.path.join(ROOT, d, "debug", "session-token") for d in (".build-nextauth", ".build"))
    if os.path.exists(p))
NOW = 1_800_000_000


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ub64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hkdf(secret: str, salt: str, info: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt.encode(), info=info.encode()).derive(
        secret.encode())


def key_for(secret: str, salt):
    if salt is None:
        return hkdf(secret, "", "NextAuth.js Generated Encryption Key", 32)
    return hkdf(secret, salt, f"Auth.js Generated Encryption Key ({salt})", 64)


CASES = [
    ("v4", ["v4-secret"], None, {"name": "Ada Lovelace", "email": "ada@example.com", "picture": None, "sub": "42"}),
    ("v4-rotated", ["new-v4", "old-v4"], None, {"sub": "7", "role": "admin"}),
    ("v5-http", ["v5-secret"], "authjs.session-token", {"name": "Zoë", "sub": "u-1", "groups": ["a", "b"]}),
    ("v5-https", ["v5-secret"], "__Secure-authjs.session-token", {"sub": "u-2", "org": {"id": 9, "beta": True}}),
    ("v5-rotated", ["new-v5", "old-v5"], "__Secure-authjs.session-token", {"sub": "u-3"}),
]

records = []
for case_id, secrets, salt, claims in CASES:
    args = [TOOL, "nextauth", "encode", "--claims", json.dumps(claims), "--now", str(NOW), "--max-age", "86400"]
    for secret in secrets:
        args += ["--secret", secret]
    if salt is not None:
        args += ["--salt", salt]
    token = subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()
    key = key_for(secrets[0], salt)
    header = json.loads(ub64(token.split(".")[0]))
    expected_header = {"alg": "dir", "enc": "A256GCM"} if salt is None else {
        "alg": "dir", "enc": "A256CBC-HS512",
        "kid": b64(hashlib.sha512(json.dumps({"k": b64(key), "kty": "oct"}, separators=(",", ":")).encode()).digest())}
    assert header == expected_header, (case_id, header)

    by_joserfc = json.loads(rfc_jwe.decrypt_compact(
        token, OctKey.import_key(key), algorithms=["dir", header["enc"]]).plaintext)
    decrypter = jc_jwe.JWE()
    decrypter.deserialize(token, key=jc_jwk.JWK(kty="oct", k=b64(key)))
    by_jwcrypto = json.loads(decrypter.payload)
    assert by_joserfc == by_jwcrypto
    assert by_joserfc["iat"] == NOW and by_joserfc["exp"] == NOW + 86400
    for name, value in claims.items():
        assert by_joserfc[name] == value, (case_id, name)
    records.append({"id": case_id, "secrets": secrets, "salt": salt, "now": NOW, "token": token, "header": header,
                    "joserfc": by_joserfc, "jwcrypto": by_jwcrypto, "decrypted": True})

with open(os.path.join(HERE, "swift-encoded-check.json"), "w", encoding="utf-8") as f:
    json.dump({"script": "Tests/Vectors/nextauth/check_swift_tokens.py",
               "checked_with": f"joserfc {joserfc.__version__}, jwcrypto {jwcrypto_version}",
               "tokens": records}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(records)} tokens from {TOOL} decrypted by joserfc and jwcrypto")
