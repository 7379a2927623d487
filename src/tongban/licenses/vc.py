"""W3C Verifiable Credentials Data Model 2.0: the structural validator, and Data Integrity proofs with the
``eddsa-jcs-2022`` cryptosuite (https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022).

Nothing is fetched: the validator checks the JSON shape and the context rules that matter without JSON-LD
expansion (the base context first, protected terms not redefined, every type mapped to a URL). The context
documents Tongban itself uses ship in ``contexts/`` and are served by the deployment.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from tongban.licenses.jcs import canonicalize
from tongban.licenses.multibase import decode_z, encode_z
from tongban.licenses.signing import Signer, signer_for_cryptosuite

V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_LANGUAGE_KEYS = {"@value", "@language", "@direction"}


@cache
def _shipped_context(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))
    return data


def v2_protected_terms() -> frozenset[str]:
    return frozenset(_shipped_context("credentials-v2-terms.json")["protectedTerms"])


def known_contexts() -> dict[str, dict[str, Any]]:
    """Context URL → its term definitions, for the contexts we ship (no network)."""
    tongban = _shipped_context("tongban-v1.jsonld")["@context"]
    return {tongban_context_url(): tongban}


def tongban_context_url() -> str:
    """Tongban's own context, served by the deployment from contexts/tongban-v1.jsonld (never fetched here)."""
    from django.conf import settings

    return f"{settings.SITE_URL}/licenses/contexts/v1.jsonld"


def is_url(value: object) -> bool:
    return isinstance(value, str) and bool(_URL.match(value))


def parse_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not _DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, reason: str) -> None:
        if reason not in self.items:
            self.items.append(reason)


def validate(document: object) -> list[str]:
    """Problems with a credential or presentation (empty: well-formed). Reasons are short machine codes."""
    problems = _Problems()
    if not isinstance(document, dict):
        return ["malformed:not_an_object"]
    types = _as_list(document.get("type"))
    if "VerifiablePresentation" in types:
        _presentation(document, problems)
    else:
        _credential(document, problems)
    return problems.items


def _context(document: dict[str, Any], problems: _Problems) -> set[str]:
    """Check @context; return the terms it defines besides the base context's (None: @vocab switched off)."""
    context = document.get("@context")
    if context is None:
        problems.add("malformed:context_missing")
        return set()
    entries = _as_list(context)
    if not entries or entries[0] != V2_CONTEXT:
        problems.add("malformed:context_base_first")
    defined: set[str] = set()
    protected_extra: set[str] = set()
    protected = v2_protected_terms()
    for entry in entries[1:]:
        if isinstance(entry, str):
            if not is_url(entry):
                problems.add("malformed:context_url")
            elif entry in known_contexts():
                body = known_contexts()[entry]
                defined |= {k for k in body if not k.startswith("@")}
                if body.get("@protected"):
                    protected_extra |= {k for k in body if not k.startswith("@")}
        elif isinstance(entry, dict):
            for term, definition in entry.items():
                if term == "@vocab" and definition is None:
                    defined.add("@vocab:null")
                if term.startswith("@"):
                    continue
                if term in protected or term in protected_extra:
                    problems.add("malformed:context_redefines_protected_term")
                iri = definition.get("@id") if isinstance(definition, dict) else definition
                if iri is not None and not is_url(iri) and not (isinstance(iri, str) and ":" not in iri):
                    problems.add("malformed:context_term_not_url")
                defined.add(term)
            if entry.get("@protected"):
                protected_extra |= {k for k in entry if not k.startswith("@")}
        else:
            problems.add("malformed:context_entry")
    return defined


def _types(value: Any, required: str | None, defined: set[str], problems: _Problems, where: str) -> None:
    if value is None:
        problems.add(f"malformed:{where}_type_missing")
        return
    entries = _as_list(value)
    if not entries or not all(isinstance(t, str) and t for t in entries):
        problems.add(f"malformed:{where}_type")
        return
    if required is not None and required not in entries:
        problems.add(f"malformed:{where}_type_required")
    if "@vocab:null" in defined:
        for entry in entries:
            if entry not in v2_protected_terms() and entry not in defined and not is_url(entry):
                problems.add(f"malformed:{where}_type_unmapped")


def _id(node: dict[str, Any], problems: _Problems, where: str) -> None:
    if "id" in node and not is_url(node["id"]):
        problems.add(f"malformed:{where}_id")


def _language_value(value: Any, problems: _Problems, where: str) -> None:
    for entry in _as_list(value):
        if isinstance(entry, str):
            continue
        if not isinstance(entry, dict) or "@value" not in entry or set(entry) - _LANGUAGE_KEYS:
            problems.add(f"malformed:{where}")


def _typed_objects(
    document: dict[str, Any], key: str, problems: _Problems, defined: set[str], *, need_id: bool = False
) -> None:
    if key not in document:
        return
    entries = _as_list(document[key])
    for entry in entries:
        if not isinstance(entry, dict):
            problems.add(f"malformed:{key}")
            continue
        _types(entry.get("type"), None, defined, problems, key)
        if need_id and "id" not in entry:
            problems.add(f"malformed:{key}_id_missing")
        _id(entry, problems, key)


def _credential(document: dict[str, Any], problems: _Problems) -> None:
    defined = _context(document, problems)
    if document.get("type") == "EnvelopedVerifiableCredential" or "EnvelopedVerifiableCredential" in _as_list(
        document.get("type")
    ):
        if not (isinstance(document.get("id"), str) and document["id"].startswith("data:")):
            problems.add("malformed:enveloped_id")
        return
    _types(document.get("type"), "VerifiableCredential", defined, problems, "credential")
    _id(document, problems, "credential")
    for key in ("name", "description"):
        if key in document:
            _language_value(document[key], problems, key)
    if "issuer" in document:
        issuer = document["issuer"]
        if isinstance(issuer, dict):
            if "id" in issuer and not is_url(issuer["id"]):
                problems.add("malformed:issuer")
            for key in ("name", "description"):
                if key in issuer:
                    _language_value(issuer[key], problems, f"issuer_{key}")
        elif not is_url(issuer):
            problems.add("malformed:issuer")
    subject = document.get("credentialSubject")
    subjects = _as_list(subject) if subject is not None else []
    if not subjects:
        problems.add("malformed:subject_missing")
    for entry in subjects:
        if not isinstance(entry, dict) or not entry:
            problems.add("malformed:subject_empty")
            continue
        _id(entry, problems, "subject")
    valid_from = valid_until = None
    for key in ("validFrom", "validUntil"):
        if key in document:
            parsed = parse_datetime(document[key])
            if parsed is None:
                problems.add(f"malformed:{key}")
            elif key == "validFrom":
                valid_from = parsed
            else:
                valid_until = parsed
    if valid_from and valid_until and valid_until < valid_from:
        problems.add("malformed:validUntil_before_validFrom")
    _typed_objects(document, "credentialStatus", problems, defined)
    _typed_objects(document, "credentialSchema", problems, defined, need_id=True)
    _typed_objects(document, "refreshService", problems, defined)
    _typed_objects(document, "termsOfUse", problems, defined)
    _typed_objects(document, "evidence", problems, defined)
    if "proof" in document:
        for proof in _as_list(document["proof"]):
            if not isinstance(proof, dict) or not isinstance(proof.get("type"), str):
                problems.add("malformed:proof_type")


def _presentation(document: dict[str, Any], problems: _Problems) -> None:
    defined = _context(document, problems)
    _types(document.get("type"), "VerifiablePresentation", defined, problems, "presentation")
    _id(document, problems, "presentation")
    if "holder" in document:
        holder = document["holder"]
        if isinstance(holder, dict):
            if not is_url(holder.get("id")):
                problems.add("malformed:holder")
        elif not is_url(holder):
            problems.add("malformed:holder")
    for credential in _as_list(document.get("verifiableCredential", [])):
        if not isinstance(credential, dict):
            problems.add("malformed:presentation_credential")
            continue
        for problem in validate_credential(credential):
            problems.add(problem)


def validate_credential(document: dict[str, Any]) -> list[str]:
    problems = _Problems()
    _credential(document, problems)
    return problems.items


# --- Data Integrity: eddsa-jcs-2022 --------------------------------------------------------------------------


def proof_hash(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """hashData = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof)), as the cryptosuite says."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    if "@context" in unsecured:
        options["@context"] = unsecured["@context"]
    return hashlib.sha256(canonicalize(options)).digest() + hashlib.sha256(canonicalize(unsecured)).digest()


def add_proof(
    document: dict[str, Any], *, signer: Signer, private: bytes, verification_method: str, created: str
) -> dict[str, Any]:
    """Return ``document`` with a DataIntegrityProof (assertionMethod) signed by ``private``."""
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": signer.cryptosuite,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = signer.sign(private, proof_hash(document, options))
    return {**document, "proof": {**options, "proofValue": encode_z(signature)}}


def check_proof(document: dict[str, Any], public_key: tuple[str, bytes] | None) -> list[str]:
    """Reasons the proof does not hold ([] when it does). ``public_key`` is (algorithm, raw key) of the
    proof's verificationMethod, or None when that method is unknown."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return ["proof_missing"]
    if proof.get("type") != "DataIntegrityProof" or proof.get("proofPurpose") != "assertionMethod":
        return ["proof_type"]
    signer = signer_for_cryptosuite(str(proof.get("cryptosuite")))
    if signer is None:
        return ["unsupported_cryptosuite"]
    if "@context" in proof and proof["@context"] != document.get("@context"):
        return ["signature"]
    if public_key is None:
        return ["unknown_key"]
    algorithm, raw = public_key
    if algorithm != signer.algorithm:
        return ["unknown_key"]
    try:
        signature = decode_z(proof.get("proofValue", ""))
    except ValueError:
        return ["signature"]
    if not signer.verify(raw, proof_hash(document, proof), signature):
        return ["signature"]
    return []
