"""One verifier for every channel (page, API, CLI): {"valid": bool, "reasons": [...]}.

Reasons: ``malformed:*`` (validator), ``proof_missing``, ``unknown_key``, ``signature``, ``issuer_mismatch``,
``not_yet_valid``, ``expired``, ``revoked``, ``suspended``, ``status_unavailable``. Keys and status lists come
from resolvers: the database (in the web process) or the offline cache (``cache.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tongban.licenses.status_list import BITSTRING_STATUS_LIST_ENTRY, bit_is_set
from tongban.licenses.vc import check_proof, parse_datetime, validate

KeyResolver = Callable[[str], "tuple[str, bytes] | None"]
StatusResolver = Callable[[str], "bytes | None"]


def verify_credential(
    document: Any, *, keys: KeyResolver, status: StatusResolver, now: datetime | None = None
) -> dict[str, Any]:
    reasons = validate(document)
    if not isinstance(document, dict):
        return {"valid": False, "reasons": reasons}
    proof = document.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not issuer_id:
        reasons.append("malformed:issuer_missing")
    if isinstance(method, str) and issuer_id and not method.startswith(f"{issuer_id}#"):
        reasons.append("issuer_mismatch")
    key = keys(method) if isinstance(method, str) else None
    reasons.extend(check_proof(document, key))
    moment = now or datetime.now(UTC)
    valid_from = parse_datetime(document.get("validFrom"))
    valid_until = parse_datetime(document.get("validUntil"))
    if valid_from is not None and valid_from > moment:
        reasons.append("not_yet_valid")
    if valid_until is not None and valid_until < moment:
        reasons.append("expired")
    entries = document.get("credentialStatus", [])
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != BITSTRING_STATUS_LIST_ENTRY:
            continue
        purpose = entry.get("statusPurpose")
        try:
            index = int(entry.get("statusListIndex", ""))
        except (TypeError, ValueError):
            reasons.append("malformed:statusListIndex")
            continue
        bits = status(str(entry.get("statusListCredential", "")))
        if bits is None or not 0 <= index < len(bits) * 8:
            reasons.append("status_unavailable")
        elif bit_is_set(bits, index) and purpose in ("revocation", "suspension"):
            reasons.append("revoked" if purpose == "revocation" else "suspended")
    unique = list(dict.fromkeys(reasons))
    return {"valid": not unique, "reasons": unique}
