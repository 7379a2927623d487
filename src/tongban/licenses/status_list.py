"""Bitstring Status List (W3C Recommendation): one revocation list and one suspension list per 131,072 licenses.

Bit 0 is the most significant bit of the first byte. The published ``encodedList`` is the GZIP-compressed
bitstring, base64url-encoded with the multibase prefix ``u``.
"""

from __future__ import annotations

import gzip
from typing import Any

from django.conf import settings

from tongban.licenses.multibase import decode_u, encode_u

LIST_SIZE = 131_072  # bits: the specification's minimum (16 KB), for group privacy
BITSTRING_STATUS_LIST_ENTRY = "BitstringStatusListEntry"


def empty_bits() -> bytes:
    return bytes(LIST_SIZE // 8)


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytes, index: int, value: bool) -> bytes:
    data = bytearray(bits)
    if value:
        data[index // 8] |= 0x80 >> (index % 8)
    else:
        data[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
    return bytes(data)


def encode_list(bits: bytes) -> str:
    return encode_u(gzip.compress(bits, mtime=0))


def decode_list(encoded: str) -> bytes:
    bits = gzip.decompress(decode_u(encoded))
    if len(bits) * 8 < LIST_SIZE:
        raise ValueError("status list shorter than 131,072 entries")
    return bits


def status_list_url(purpose: str, list_no: int) -> str:
    return f"{settings.SITE_URL}/licenses/status/{purpose}/{list_no}"


def status_entries(list_no: int, index: int) -> list[dict[str, Any]]:
    entries = []
    for purpose in ("revocation", "suspension"):
        url = status_list_url(purpose, list_no)
        entries.append(
            {
                "id": f"{url}#{index}",
                "type": BITSTRING_STATUS_LIST_ENTRY,
                "statusPurpose": purpose,
                "statusListIndex": str(index),
                "statusListCredential": url,
            }
        )
    return entries


def status_list_document(*, purpose: str, list_no: int, bits: bytes, issuer: str, valid_from: str) -> dict[str, Any]:
    url = status_list_url(purpose, list_no)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }
