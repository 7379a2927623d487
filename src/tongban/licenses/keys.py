"""Issuer keys: the configured key (environment, or a generated dev file), rotation, the did:web document."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tongban.licenses.models import SigningKey
from tongban.licenses.signing import get_signer

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def issuer_did() -> str:
    """``did:web`` of this deployment, from TONGBAN_SITE_URL (a port is written %3A, as did:web requires)."""
    parts = urlsplit(settings.SITE_URL)
    host = (parts.hostname or "localhost") + (f"%3A{parts.port}" if parts.port else "")
    path = [p for p in parts.path.split("/") if p]
    return ":".join(["did:web", host, *path])


@dataclass(frozen=True)
class ActiveKey:
    key_id: str
    algorithm: str
    private: bytes

    @property
    def verification_method(self) -> str:
        return f"{issuer_did()}#{self.key_id}"


def _wrap_key() -> bytes:
    return hashlib.sha256(b"tongban-license-key-wrap:" + settings.SECRET_KEY.encode()).digest()


def _encrypt(private: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(_wrap_key()).encrypt(nonce, private, b"signing-key")


def _decrypt(blob: bytes) -> bytes:
    return AESGCM(_wrap_key()).decrypt(blob[:12], blob[12:], b"signing-key")


def _configured_seed() -> bytes:
    text = settings.LICENSE_SIGNING_KEY.strip()
    if text:
        return bytes.fromhex(text)
    path = settings.DATA_DIR / "license-signing-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


_ACTIVE: dict[str, ActiveKey] = {}


def active_key() -> ActiveKey:
    """The key that signs now. The configured key is recorded the first time it is seen; a rotated-in key
    (``signing_key_rotate``) wins until the configuration changes again."""
    cached = _ACTIVE.get("key")
    if cached is not None:
        return cached
    signer = get_signer("Ed25519")
    seed = _configured_seed()
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    configured_id = signer.public_multibase(public)
    with transaction.atomic():
        if not SigningKey.objects.filter(key_id=configured_id).exists():
            # A new configured key is a rotation; two processes starting at once insert it once.
            SigningKey.objects.filter(is_active=True).exclude(key_id=configured_id).update(
                is_active=False, retired_at=timezone.now()
            )
            SigningKey.objects.bulk_create(
                [SigningKey(key_id=configured_id, algorithm="Ed25519", public_key=public)], ignore_conflicts=True
            )
        row = SigningKey.objects.filter(is_active=True).order_by("-created_at", "-pk").first()
    if row is None or row.key_id == configured_id:
        key = ActiveKey(configured_id, "Ed25519", seed)
    else:
        key = ActiveKey(row.key_id, row.algorithm, _decrypt(bytes(row.private_key_encrypted)))
    _ACTIVE["key"] = key
    return key


def _retire_all() -> None:
    SigningKey.objects.filter(is_active=True).update(is_active=False, retired_at=timezone.now())


def signing_key_rotate(*, algorithm: str = "Ed25519") -> SigningKey:
    """Make a new key (stored encrypted with SECRET_KEY) the signing key; old keys stay published."""
    active_key()  # make sure the configured key is on record first
    signer = get_signer(algorithm)
    private, public = signer.generate()
    with transaction.atomic():
        _retire_all()
        row = SigningKey.objects.create(
            key_id=signer.public_multibase(public),
            algorithm=algorithm,
            public_key=public,
            private_key_encrypted=_encrypt(private),
        )
    _ACTIVE.clear()
    return row


def forget_cached_key() -> None:
    _ACTIVE.clear()


def did_document() -> dict[str, Any]:
    """The DID document served at /.well-known/did.json: every key ever used, so old signatures verify."""
    did = issuer_did()
    methods = []
    for row in SigningKey.objects.order_by("created_at", "pk"):
        methods.append(
            {
                "id": f"{did}#{row.key_id}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": row.key_id,
            }
        )
    ids = [m["id"] for m in methods]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": [],
    }


def public_keys_from_did_document(document: dict[str, Any]) -> dict[str, tuple[str, bytes]]:
    """verificationMethod id → (algorithm, raw public key), for every Multikey the document lists."""
    keys: dict[str, tuple[str, bytes]] = {}
    for method in document.get("verificationMethod", []):
        multibase = method.get("publicKeyMultibase", "")
        for algorithm in ("Ed25519", "SM2"):
            try:
                keys[method["id"]] = (algorithm, get_signer(algorithm).public_from_multibase(multibase))
                break
            except (LookupError, ValueError, KeyError):
                continue
    return keys


_DB_KEYS: dict[str, tuple[str, bytes]] = {}


def database_public_key(verification_method: str) -> tuple[str, bytes] | None:
    """The public key of one of our own verification methods (cached: public keys never change)."""
    hit = _DB_KEYS.get(verification_method)
    if hit is not None:
        return hit
    did, _, key_id = verification_method.partition("#")
    if did != issuer_did() or not key_id:
        return None
    row = SigningKey.objects.filter(key_id=key_id).values_list("algorithm", "public_key").first()
    if row is None:
        return None
    _DB_KEYS[verification_method] = (row[0], bytes(row[1]))
    return _DB_KEYS[verification_method]
