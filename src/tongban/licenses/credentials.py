"""Building and signing Tongban license credentials and status list credentials."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tongban.licenses.keys import ActiveKey, issuer_did
from tongban.licenses.signing import get_signer
from tongban.licenses.status_list import status_entries
from tongban.licenses.vc import V2_CONTEXT, add_proof, tongban_context_url


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def license_document(
    *,
    number: str,
    type_code: str,
    type_name: str,
    holder_kind: str,
    department_code: str,
    department_name: str,
    fields: dict[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
    list_no: int,
    index: int,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [V2_CONTEXT, tongban_context_url()],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "TongbanLicense"],
        "name": type_name,
        "issuer": {"id": issuer_did(), "name": department_name},
        "validFrom": iso(valid_from),
    }
    if valid_until is not None:
        document["validUntil"] = iso(valid_until)
    document["credentialSubject"] = {
        "licenseNumber": number,
        "licenseType": type_code,
        "licenseTypeName": type_name,
        "holderKind": holder_kind,
        "issuingDepartment": department_code,
        "fields": fields,
    }
    document["credentialStatus"] = status_entries(list_no, index)
    return document


def sign(document: dict[str, Any], key: ActiveKey, *, created: datetime) -> dict[str, Any]:
    return add_proof(
        document,
        signer=get_signer(key.algorithm),
        private=key.private,
        verification_method=key.verification_method,
        created=iso(created),
    )
