"""The offline verification cache: issuer DID documents and signed status lists, as files.

``refresh_from_database`` writes what this deployment publishes (for a verifier on the same machine or a copy of
the folder); ``refresh_from_network`` fetches the published documents over HTTPS. Verification then needs no
network: ``cached_keys`` and ``cached_status`` are the resolvers.
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from django.conf import settings

from tongban.licenses.keys import did_document, public_keys_from_did_document
from tongban.licenses.models import StatusList
from tongban.licenses.services import status_list_credential
from tongban.licenses.status_list import decode_list, status_list_url
from tongban.licenses.vc import check_proof

TIMEOUT_SECONDS = 3


def cache_dir() -> Path:
    path = Path(settings.LICENSE_CACHE_DIR)
    (path / "did").mkdir(parents=True, exist_ok=True)
    (path / "status").mkdir(parents=True, exist_ok=True)
    return path


def _name(text: str) -> str:
    return quote(text, safe="") + ".json"


def store_did_document(document: dict[str, Any]) -> None:
    (cache_dir() / "did" / _name(document["id"])).write_text(json.dumps(document, ensure_ascii=False))


def store_status_list(url: str, credential: dict[str, Any]) -> None:
    (cache_dir() / "status" / _name(url)).write_text(json.dumps(credential, ensure_ascii=False))


def did_web_url(did: str) -> str:
    """https URL of a did:web document (did:web:host%3Aport:path → https://host:port/path/did.json)."""
    parts = did.split(":")[2:]
    host = unquote(parts[0])
    scheme = "http" if host.startswith(("127.0.0.1", "localhost")) else "https"
    if len(parts) == 1:
        return f"{scheme}://{host}/.well-known/did.json"
    return f"{scheme}://{host}/{'/'.join(parts[1:])}/did.json"


def _fetch(url: str) -> dict[str, Any]:
    if not url.startswith(("https://", "http://")):
        raise ValueError("only http(s) URLs are fetched")
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # scheme checked above
        data: dict[str, Any] = json.loads(response.read(5_000_000))
    return data


def refresh_from_network(credential: dict[str, Any] | None = None) -> list[str]:
    """Fetch the issuer's DID document and the status lists the credential names (or the ones already cached).
    Returns what failed (empty: all refreshed)."""
    failures: list[str] = []
    dids: set[str] = set()
    urls: set[str] = set()
    if credential is not None:
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if isinstance(issuer_id, str) and issuer_id.startswith("did:web:"):
            dids.add(issuer_id)
        entries = credential.get("credentialStatus", [])
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and isinstance(entry.get("statusListCredential"), str):
                urls.add(entry["statusListCredential"])
    else:
        dids |= {unquote(p.name[:-5]) for p in (cache_dir() / "did").glob("*.json")}
        urls |= {unquote(p.name[:-5]) for p in (cache_dir() / "status").glob("*.json")}
    for did in sorted(dids):
        try:
            store_did_document(_fetch(did_web_url(did)))
        except (OSError, ValueError, KeyError):
            failures.append(did)
    for url in sorted(urls):
        try:
            store_status_list(url, _fetch(url))
        except (OSError, ValueError):
            failures.append(url)
    return failures


def refresh_from_database() -> int:
    """Write this deployment's DID document and every status list credential into the cache."""
    store_did_document(did_document())
    count = 0
    for purpose, list_no in StatusList.objects.values_list("purpose", "list_no"):
        credential = status_list_credential(purpose, list_no)
        if credential is not None:
            store_status_list(status_list_url(purpose, list_no), credential)
            count += 1
    return count


def status_age_seconds(url: str) -> float | None:
    path = cache_dir() / "status" / _name(url)
    return time.time() - path.stat().st_mtime if path.exists() else None


def cached_keys(verification_method: str) -> tuple[str, bytes] | None:
    did = verification_method.partition("#")[0]
    path = cache_dir() / "did" / _name(did)
    if not path.exists():
        return None
    return public_keys_from_did_document(json.loads(path.read_text())).get(verification_method)


def cached_status(url: str) -> bytes | None:
    """The bits of a cached status list — only if the list's own signature holds under a cached key."""
    path = cache_dir() / "status" / _name(url)
    if not path.exists():
        return None
    credential = json.loads(path.read_text())
    proof = credential.get("proof", {})
    key = cached_keys(proof.get("verificationMethod", "")) if isinstance(proof, dict) else None
    if check_proof(credential, key) or credential.get("id") != url:
        return None
    try:
        return decode_list(credential["credentialSubject"]["encodedList"])
    except (KeyError, TypeError, ValueError, OSError):
        return None
