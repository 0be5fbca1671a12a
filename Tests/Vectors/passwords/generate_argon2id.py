#!/usr/bin/env python3
"""Argon2id password-hash vectors from an independent implementation (argon2-cffi, the
reference C implementation's bindings): what `PasswordHash.verify` must accept and refuse.

    python3 -m pip install argon2-cffi && python3 generate_argon2id.py > argon2id-vectors.json

The tests read the committed JSON and need no Python."""
import json

import importlib.metadata

import argon2
from argon2.low_level import Type, hash_secret

def encoded(password, salt, t, m, p, kind=Type.ID):
    return hash_secret(password.encode(), salt, time_cost=t, memory_cost=m, parallelism=p, hash_len=32, type=kind).decode()

cases = []
accepted = [
    ("correct horse battery staple", b"saltsaltsaltsalt", 2, 19456, 1),
    ("pässwörd ✓", b"0123456789abcdef", 2, 19456, 1),
    ("", b"an empty password", 1, 8192, 1),
    ("x" * 200, b"sixteen byte slt", 3, 12288, 1),
]
for password, salt, t, m, p in accepted:
    cases.append({"password": password, "hash": encoded(password, salt, t, m, p), "valid": True,
                  "comment": f"argon2id t={t} m={m} p={p}"})
good = encoded("correct horse battery staple", b"saltsaltsaltsalt", 2, 19456, 1)
flipped = good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]
refused = [
    ("correct horse battery stapl", good, "wrong password"),
    ("Correct horse battery staple", good, "wrong case"),
    ("correct horse battery staple", flipped, "hash tampered"),
    ("correct horse battery staple", good[:-10], "hash truncated"),
    ("correct horse battery staple", encoded("correct horse battery staple", b"saltsaltsaltsalt", 2, 19456, 1, Type.I),
     "argon2i, not argon2id"),
    ("correct horse battery staple", encoded("correct horse battery staple", b"saltsaltsaltsalt", 2, 19456, 2),
     "parallelism 2: libsodium computes one lane"),
    ("correct horse battery staple", good.replace("m=19456", "m=4194304"), "memory above the limit (4 GiB)"),
    ("correct horse battery staple", good.replace("t=2", "t=100"), "passes above the limit"),
    ("correct horse battery staple", "", "empty hash"),
    ("correct horse battery staple", "$2b$12$abcdefghijklmnopqrstuu5Rmu6Kd6QmJ3s1dyK0EYkTi/h8vT4m2", "bcrypt"),
]
for password, hashed, comment in refused:
    cases.append({"password": password, "hash": hashed, "valid": False, "comment": comment})
print(json.dumps({"generator": "argon2-cffi " + importlib.metadata.version("argon2-cffi"), "cases": cases}, indent=1, ensure_ascii=False))
