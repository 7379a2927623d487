"""API endpoints of the licenses context (mounted at /api/v1/licenses). Thin: parse, call public services.

``POST /verify`` is open to anyone (third-party verifiers) and takes the license JSON as the request body.
The others are session-authenticated: holders list their wallet, issuing-department staff issue and change
status.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import SessionAuth

from tongban.common.public import DomainError, NotFound
from tongban.identity.public import Enterprise, User
from tongban.licenses.public import (
    License,
    license_issue,
    license_reinstate,
    license_revoke,
    license_suspend,
    licenses_held_by,
    licenses_visible_to,
    verify_license,
)

router = Router(tags=["licenses"])
session = SessionAuth()


class VerifyResult(Schema):
    valid: bool
    reasons: list[str]


class LicenseRow(Schema):
    number: str
    type: str
    type_name: str
    status: str
    valid_from: datetime
    valid_until: datetime | None
    case_ref: str


class IssueIn(Schema):
    license_type: str
    holder_username: str = ""
    holder_credit_code: str = ""
    fields: dict[str, Any]
    case_ref: str = ""


class StatusIn(Schema):
    reason: str


def _row(item: License) -> LicenseRow:
    return LicenseRow(
        number=item.number,
        type=item.license_type.code,
        type_name=item.license_type.name,
        status=item.status,
        valid_from=item.valid_from,
        valid_until=item.valid_until,
        case_ref=item.case_ref,
    )


_VERIFY_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object", "description": "a W3C VC (license)"}}},
    }
}


@router.post("/verify", response=VerifyResult, auth=None, openapi_extra=_VERIFY_BODY)
def verify(request: HttpRequest) -> dict[str, Any]:
    """Verify a license: signature, issuer key, validity period, revocation and suspension."""
    try:
        document = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return {"valid": False, "reasons": ["malformed:not_json"]}
    return verify_license(document)


@router.get("/mine", response=list[LicenseRow], auth=session)
def mine(request: HttpRequest) -> list[LicenseRow]:
    return [_row(item) for item in licenses_held_by(request.auth)]  # type: ignore[attr-defined]


@router.post("/issue", response={201: LicenseRow}, auth=session)
def issue(request: HttpRequest, payload: IssueIn) -> tuple[int, LicenseRow]:
    holder: User | Enterprise | None
    if payload.holder_credit_code:
        holder = Enterprise.objects.filter(credit_code=payload.holder_credit_code).first()
    else:
        holder = User.objects.filter(username=payload.holder_username).first()
    if holder is None:
        raise NotFound(_("No such holder."), fields={"holder": _("not found")})
    item = license_issue(
        license_type=payload.license_type,
        holder=holder,
        fields=payload.fields,
        case_ref=payload.case_ref,
        actor=request.auth,  # type: ignore[attr-defined]
    )
    return 201, _row(item)


def _staff_license(request: HttpRequest, number: str) -> License:
    item = licenses_visible_to(request.auth).filter(number=number).first()  # type: ignore[attr-defined]
    if item is None:
        raise NotFound(_("No such license."))
    return item


@router.post("/{number}/revoke", response=LicenseRow, auth=session)
def revoke(request: HttpRequest, number: str, payload: StatusIn) -> LicenseRow:
    item = license_revoke(license=_staff_license(request, number), actor=request.auth, reason=payload.reason)  # type: ignore[attr-defined]
    return _row(item)


@router.post("/{number}/suspend", response=LicenseRow, auth=session)
def suspend(request: HttpRequest, number: str, payload: StatusIn) -> LicenseRow:
    item = license_suspend(license=_staff_license(request, number), actor=request.auth, reason=payload.reason)  # type: ignore[attr-defined]
    return _row(item)


@router.post("/{number}/reinstate", response=LicenseRow, auth=session)
def reinstate(request: HttpRequest, number: str, payload: StatusIn) -> LicenseRow:
    if not payload.reason.strip():
        raise DomainError(_("Give a reason."), fields={"reason": _("required")})
    item = license_reinstate(license=_staff_license(request, number), actor=request.auth, reason=payload.reason)  # type: ignore[attr-defined]
    return _row(item)
