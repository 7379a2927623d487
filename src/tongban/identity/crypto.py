"""Encryption at rest (AES-256-GCM) and keyed look-up hashes (HMAC-SHA256) for ID numbers and phones.

Both keys are derived (HKDF) from ``TONGBAN_PII_KEY``; dev derives that from SECRET_KEY. A stored cipher
text is ``v1:`` + base64(nonce ‖ ciphertext), so a later key rotation can add ``v2`` beside it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@functools.cache
def _keys(master: str) -> tuple[bytes, bytes]:
    seed = base64.b64decode(master) if master.endswith("=") or len(master) == 44 else master.encode()
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=b"tongban-pii", info=b"enc+hash").derive(seed)
    return material[:32], material[32:]


def _master() -> str:
    key = settings.PII_KEY
    return str(key) if key else "dev:" + settings.SECRET_KEY


def encrypt(text: str) -> str:
    enc_key, _hash_key = _keys(_master())
    nonce = os.urandom(12)
    return "v1:" + base64.b64encode(nonce + AESGCM(enc_key).encrypt(nonce, text.encode(), b"tongban")).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    enc_key, _hash_key = _keys(_master())
    raw = base64.b64decode(token.removeprefix("v1:"))
    return AESGCM(enc_key).decrypt(raw[:12], raw[12:], b"tongban").decode()


def lookup_hash(kind: str, value: str) -> str:
    """Keyed hash of a normalised value, for exact-match look-up; ``kind`` keeps phones and IDs apart."""
    _enc_key, hash_key = _keys(_master())
    return hmac.new(hash_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
