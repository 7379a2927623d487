"""Pluggable signers. ``Ed25519Signer`` is the default (cryptosuite ``eddsa-jcs-2022``); ``Sm2Signer`` (SM2 with
SM3, the national algorithms) is available only when the optional ``tongsuopy`` package is importable.

A signer signs and verifies raw bytes; the Data Integrity steps (JCS, hashing, proof options) live in ``vc.py``.
New algorithms register with ``register_signer``.
"""

from __future__ import annotations

import importlib
import importlib.util
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tongban.licenses.multibase import ED25519_PUB_HEADER, decode_z, encode_z


class Signer(ABC):
    """One signature algorithm. ``private`` and ``public`` are raw key bytes."""

    algorithm: ClassVar[str]
    cryptosuite: ClassVar[str]

    @abstractmethod
    def generate(self) -> tuple[bytes, bytes]:
        """A new key pair: (private, public)."""

    @abstractmethod
    def sign(self, private: bytes, data: bytes) -> bytes: ...

    @abstractmethod
    def verify(self, public: bytes, data: bytes, signature: bytes) -> bool: ...

    @abstractmethod
    def public_multibase(self, public: bytes) -> str:
        """The Multikey ``publicKeyMultibase`` of a public key."""

    @abstractmethod
    def public_from_multibase(self, text: str) -> bytes: ...


class Ed25519Signer(Signer):
    algorithm = "Ed25519"
    cryptosuite = "eddsa-jcs-2022"

    def generate(self) -> tuple[bytes, bytes]:
        key = Ed25519PrivateKey.generate()
        return (
            key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            ),
            key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
        )

    def sign(self, private: bytes, data: bytes) -> bytes:
        return _ed25519_private(private).sign(data)

    def verify(self, public: bytes, data: bytes, signature: bytes) -> bool:
        try:
            _ed25519_public(public).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True

    def public_multibase(self, public: bytes) -> str:
        return encode_z(ED25519_PUB_HEADER + public)

    def public_from_multibase(self, text: str) -> bytes:
        raw = decode_z(text)
        if not raw.startswith(ED25519_PUB_HEADER) or len(raw) != 34:
            raise ValueError("not an Ed25519 Multikey")
        return raw[2:]


_PRIVATE_CACHE: dict[bytes, Ed25519PrivateKey] = {}
_PUBLIC_CACHE: dict[bytes, Ed25519PublicKey] = {}


def _ed25519_private(raw: bytes) -> Ed25519PrivateKey:
    key = _PRIVATE_CACHE.get(raw)
    if key is None:
        key = _PRIVATE_CACHE[raw] = Ed25519PrivateKey.from_private_bytes(raw)
    return key


def _ed25519_public(raw: bytes) -> Ed25519PublicKey:
    key = _PUBLIC_CACHE.get(raw)
    if key is None:
        key = _PUBLIC_CACHE[raw] = Ed25519PublicKey.from_public_bytes(raw)
    return key


SM2_AVAILABLE = importlib.util.find_spec("tongsuopy") is not None


class Sm2Signer(Signer):
    """SM2 signatures over SM3 digests through tongsuopy (Tongsuo's ``cryptography``-style bindings).

    The cryptosuite name is Tongban's own (``sm2-jcs-2024``): there is no W3C cryptosuite for SM2 yet. Keys are
    DER (PKCS#8 private, SubjectPublicKeyInfo public); the Multikey header is the multicodec ``sm2-pub`` (0x1206).
    """

    algorithm = "SM2"
    cryptosuite = "sm2-jcs-2024"
    _HEADER = b"\x86\x24"  # varint of 0x1206

    def _backend(self) -> tuple[Any, Any, Any]:  # tongsuopy ships no type information
        if not SM2_AVAILABLE:
            raise RuntimeError("SM2 needs the optional package tongsuopy")
        return (
            importlib.import_module("tongsuopy.crypto.hashes"),
            importlib.import_module("tongsuopy.crypto.serialization"),
            importlib.import_module("tongsuopy.crypto.asymciphers.ec"),
        )

    def generate(self) -> tuple[bytes, bytes]:
        _hashes, tserial, ec = self._backend()
        key = ec.generate_private_key(ec.SM2())
        private = key.private_bytes(tserial.Encoding.DER, tserial.PrivateFormat.PKCS8, tserial.NoEncryption())
        public = key.public_key().public_bytes(tserial.Encoding.DER, tserial.PublicFormat.SubjectPublicKeyInfo)
        return bytes(private), bytes(public)

    def sign(self, private: bytes, data: bytes) -> bytes:
        hashes, tserial, ec = self._backend()
        key = tserial.load_der_private_key(private, password=None)
        return bytes(key.sign(data, ec.ECDSA(hashes.SM3())))

    def verify(self, public: bytes, data: bytes, signature: bytes) -> bool:
        hashes, tserial, ec = self._backend()
        try:
            tserial.load_der_public_key(public).verify(signature, data, ec.ECDSA(hashes.SM3()))
        except Exception:  # any failure of a foreign library is an invalid signature
            return False
        return True

    def public_multibase(self, public: bytes) -> str:
        return encode_z(self._HEADER + public)

    def public_from_multibase(self, text: str) -> bytes:
        raw = decode_z(text)
        if not raw.startswith(self._HEADER):
            raise ValueError("not an SM2 Multikey")
        return raw[2:]


_SIGNERS: dict[str, Signer] = {}


def register_signer(signer: Signer) -> None:
    _SIGNERS[signer.algorithm] = signer


def get_signer(algorithm: str) -> Signer:
    try:
        return _SIGNERS[algorithm]
    except KeyError:
        raise LookupError(f"no signer for {algorithm!r}") from None


def signer_for_cryptosuite(cryptosuite: str) -> Signer | None:
    return next((s for s in _SIGNERS.values() if s.cryptosuite == cryptosuite), None)


def available_algorithms() -> list[str]:
    return sorted(_SIGNERS)


register_signer(Ed25519Signer())
if SM2_AVAILABLE:
    register_signer(Sm2Signer())
