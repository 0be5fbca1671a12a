#!/usr/bin/env python3
"""Writes rfc-vectors.json: the content-encryption examples of RFC 7516 Appendix A.1 (A256GCM),
RFC 7518 Appendix B.3 (A256CBC-HS512) and RFC 7520 section 5.6 (a whole dir + A128GCM JWE),
as hex, for Tests/SessionTokenNextAuthTests/CipherVectorTests.swift.

The values are the RFCs' (by way of jwcrypto's test suite, which carries them verbatim); this
script re-derives what the RFCs only give indirectly (A.1's CEK sits inside an RSA-OAEP
encrypted key) and checks every example with `cryptography` before writing anything.
Run:  pip install cryptography && python3 Tests/Vectors/nextauth/generate_rfc.py
"""
import base64
import hashlib
import hmac
import json
import os

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric import padding as apadding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))


def ub64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def to_int(text: str) -> int:
    return int.from_bytes(ub64(text), "big")


# ------------------------------------------------------------------ RFC 7516 A.1
A1_COMPACT = (
    "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ."
    "OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe"
    "ipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDb"
    "Sv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaV"
    "mqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je8"
    "1860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi"
    "6UklfCpIMfIjf7iGdXKHzg."
    "48V1_ALb6US04U3b."
    "5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji"
    "SdiwkIr3ajwQzaBtQD_A."
    "XFBoMYUZodetZdvTiFvSkQ")
A1_RSA = {
    "n": "oahUIoWw0K0usKNuOR6H4wkf4oBUXHTxRvgb48E-BVvxkeDNjbC4he8rUWcJoZmds2h7M70imEVhRU5djINXtqllXI4DFqcI1DgjT9Le"
         "wND8MW2Krf3Spsk_ZkoFnilakGygTwpZ3uesH-PFABNIUYpOiN15dsQRkgr0vEhxN92i2asbOenSZeyaxziK72UwxrrKoExv6kc5twXT"
         "q4h-QChLOln0_mtUZwfsRaMStPs6mS6XrgxnxbWhojf663tuEQueGC-FCMfra36C9knDFGzKsNa7LZK2djYgyD3JR_MB_4NUJW_TqOQt"
         "wHYbxevoJArm-L5StowjzGy-_bq6Gw",
    "e": "AQAB",
    "d": "kLdtIj6GbDks_ApCSTYQtelcNttlKiOyPzMrXHeI-yk1F7-kpDxY4-WY5NWV5KntaEeXS1j82E375xxhWMHXyvjYecPT9fpwR_M9gV8n"
         "9Hrh2anTpTD93Dt62ypW3yDsJzBnTnrYu1iwWRgBKrEYY46qAZIrA2xAwnm2X7uGR1hghkqDp0Vqj3kbSCz1XyfCs6_LehBwtxHIyh8R"
         "ipy40p24moOAbgxVw3rxT_vlt3UVe4WO3JkJOzlpUf-KTVI2Ptgm-dARxTEtE-id-4OJr0h-K-VFs3VSndVTIznSxfyrj8ILL6MG_Uv8"
         "YAu7VILSB3lOW085-4qE3DzgrTjgyQ",
    "p": "1r52Xk46c-LsfB5P442p7atdPUrxQSy4mti_tZI3Mgf2EuFVbUoDBvaRQ-SWxkbkmoEzL7JXroSBjSrK3YIQgYdMgyAEPTPjXv_hI2_1"
         "eTSPVZfzL0lffNn03IXqWF5MDFuoUYE0hzb2vhrlN_rKrbfDIwUbTrjjgieRbwC6Cl0",
    "q": "wLb35x7hmQWZsWJmB_vle87ihgZ19S8lBEROLIsZG4ayZVe9Hi9gDVCOBmUDdaDYVTSNx_8Fyw1YYa9XGrGnDew00J28cRUoeBB_jKI1"
         "oma0Orv1T9aXIWxKwd4gvxFImOWr3QRL9KEBRzk2RatUBnmDZJTIAfwTs0g68UZHvtc",
}
A1_PLAINTEXT = b"The true sign of intelligence is not knowledge but imagination."
# RFC 7516 A.1.2 lists the CEK; A.1.3 encrypts it to the RSA key. Recover it and compare.
A1_CEK = bytes([177, 161, 244, 128, 84, 143, 225, 115, 63, 180, 3, 255, 107, 154, 212, 246, 138, 7, 110, 91,
                112, 46, 34, 105, 47, 130, 203, 46, 122, 234, 64, 252])

n, e, d, p, q = (to_int(A1_RSA[k]) for k in ("n", "e", "d", "p", "q"))
private = rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
                                rsa.RSAPublicNumbers(e, n)).private_key()
h, ek, iv, ct, tag = A1_COMPACT.split(".")
cek = private.decrypt(ub64(ek), apadding.OAEP(mgf=apadding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
assert cek == A1_CEK
assert AESGCM(cek).decrypt(ub64(iv), ub64(ct) + ub64(tag), h.encode()) == A1_PLAINTEXT
rfc7516 = {"source": "RFC 7516 Appendix A.1 (content encryption with A256GCM)", "key": cek.hex(),
           "iv": ub64(iv).hex(), "aad": h.encode().hex(), "plaintext": A1_PLAINTEXT.hex(),
           "ciphertext": ub64(ct).hex(), "tag": ub64(tag).hex()}

# ------------------------------------------------------------------ RFC 7518 B.3
K = bytes(range(64))
P = (b"A cipher system must not be required to be secret, and it must be able to fall into the hands of the "
     b"enemy without inconvenience")
IV = bytes.fromhex("1af38c2dc2b96ffdd86694092341bc04")
A = b"The second principle of Auguste Kerckhoffs"
T_RFC = bytes.fromhex("4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5")
padder = padding.PKCS7(128).padder()
enc = Cipher(algorithms.AES(K[32:]), modes.CBC(IV)).encryptor()
E = enc.update(padder.update(P) + padder.finalize()) + enc.finalize()
T = hmac.new(K[:32], A + IV + E + (len(A) * 8).to_bytes(8, "big"), hashlib.sha512).digest()[:32]
assert T == T_RFC, "the computed tag must be the RFC's, which pins the ciphertext too"
assert E[:16].hex() == "4affaaadb78c31c5da4b1b590d10ffbd"  # RFC 7518 B.3, first line of E
rfc7518 = {"source": "RFC 7518 Appendix B.3 (AES_256_CBC_HMAC_SHA_512)", "key": K.hex(), "iv": IV.hex(),
           "aad": A.hex(), "plaintext": P.hex(), "ciphertext": E.hex(), "tag": T.hex()}

# ------------------------------------------------------------------ RFC 7520 5.6
K56 = ub64("XctOhJAkA-pD9Lh7ZgW_2A")
COMPACT56 = (
    "eyJhbGciOiJkaXIiLCJraWQiOiI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNWI0NTI0M2EiLCJlbmMiOiJBMTI4R0NNIn0"
    "..refa467QzzKx6QAB."
    "JW_i_f52hww_ELQPGaYyeAB6HYGcR559l9TYnSovc23XJoBcW29rHP8yZOZG7YhLpT1bjFuvZPjQS-m0IFtVcXkZXdH_lr_FrdYt9HRUYk"
    "shtrMmIUAyGmUnd9zMDB2n0cRDIHAzFVeJUDxkUwVAE7_YGRPdcqMyiBoCO-FBdE-Nceb4h3-FtBP-c_BIwCPTjb9o0SbdcdREEMJMyZB"
    "H8ySWMVi1gPD9yxi-aQpGbSv_F9N4IZAxscj5g-NJsUPbjk29-s7LJAGb15wEBtXphVCgyy53CoIKLHHeJHXex45Uz9aKZSRSInZI-wjsY"
    "0yu3cT4_aQ3i1o-tiE-F8Ios61EKgyIQ4CWao8PFMj8TTnp."
    "vbb32Xvllea2OtmHAdccRQ")
P56 = ("You can trust us to stick with you through thick and thin\u2013to the bitter end. And you can trust us to "
       "keep any secret of yours\u2013closer than you keep it yourself. But you cannot trust us to let you face "
       "trouble alone, and go off without a word. We are your friends, Frodo.").encode()
h, ek, iv, ct, tag = COMPACT56.split(".")
assert ek == ""
assert AESGCM(K56).decrypt(ub64(iv), ub64(ct) + ub64(tag), h.encode()) == P56
rfc7520 = {"source": "RFC 7520 section 5.6 (direct encryption, dir + A128GCM)", "key": K56.hex(),
           "compact": COMPACT56, "plaintext": P56.hex()}

with open(os.path.join(HERE, "rfc-vectors.json"), "w") as f:
    json.dump({"generator": "Tests/Vectors/nextauth/generate_rfc.py", "rfc7516_a1": rfc7516, "rfc7518_b3": rfc7518,
               "rfc7520_5_6": rfc7520}, f, indent=1)
    f.write("\n")
print("rfc-vectors.json written; every example checked")
