"""Cases over HTTP: apply (idempotent), drafts and materials, the pre-check, tracking, the staff queue and
every workflow action. Thin: parse, call cases' services and selectors, shape the answer."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import NinjaJSONEncoder
from ninja.security import django_auth
from pydantic import BaseModel

from tongban.api.accounts import signed_in_user
from tongban.cases import public as cases
from tongban.cases.public import Case
from tongban.common.public import DomainError

router = Router(tags=["cases"], auth=django_auth)

MaterialSource = Literal["upload", "e_license", "shared_data", "commitment", "clerk_verified"]


class MaterialIn(Schema):
    position: int = Field(ge=1)
    source: MaterialSource
    reference: str = Field("", max_length=200, description="License id or data resource code.")
    content_base64: str = Field("", description="The file, base64-encoded, when source is upload.")


class ApplyIn(Schema):
    item_code: str = Field(min_length=1, max_length=80)
    form_data: dict[str, Any] = Field(default_factory=dict)
    materials: list[MaterialIn] = Field(default_factory=list, max_length=100)


class DraftIn(Schema):
    item_code: str = Field(min_length=1, max_length=80)


class Answer(BaseModel):
    """An answer's shape, validated from the plain dicts the views build. Not django-ninja's ``Schema``: that
    wraps every object it validates for attribute access to model instances, which cost an application about
    3% of its CPU, and these answers are never built from model instances."""


class MissingOut(Answer):
    field: str
    label: str
    hint: str


class EventOut(Answer):
    at: datetime
    action: str
    to_stage: str
    comment: str
    by_role: str


class MaterialOut(Answer):
    position: int
    name: str
    source: str
    trust_level: str
    reference: str = Field(description="The e-license number, or the data resource that proved it (免提交).")


class FormIn(Schema):
    form_data: dict[str, Any] = Field(description="Answers to merge into the draft's form (the item's JSON Schema).")


class FormSourceOut(Answer):
    source: str = Field(description="'identity', or the exchange resource code the answer was taken from.")
    provider: str
    at: str


class CaseOut(Answer):
    id: int
    number: str | None
    item_code: str
    item_name: str
    item_version: int
    stage: str
    outcome: str
    outcome_reason: str
    channel: str
    accepted_on: date | None
    statutory_due: date | None
    promised_due: date | None
    due: date | None
    due_provisional: bool
    remaining_working_days: int | None
    warning: str
    version: int


class CaseDetailOut(CaseOut):
    department: str
    form_data: dict[str, Any]
    form_sources: dict[str, FormSourceOut]
    timeline: list[EventOut]
    materials: list[MaterialOut]
    missing: list[MissingOut]
    actions: list[str]


class ActionIn(Schema):
    expected_version: int | None = Field(None, description="The version you saw; a newer one answers 409.")
    comment: str = Field("", max_length=2000)
    reasons: str = Field("", max_length=2000)
    legal_reasons: str = Field("", max_length=2000)
    checklist: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    kind: str = Field("", max_length=20)
    days: int = Field(0, ge=0, le=60)


class QueueFilters(Schema):
    stage: str = Field("", max_length=12)
    warning: str = Field("", max_length=6)
    q: str = Field("", max_length=80)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk, "number": case.number, "item_code": case.item_code, "item_name": case.item_name,
        "item_version": case.item_version, "stage": case.stage, "outcome": case.outcome,
        "outcome_reason": case.outcome_reason, "channel": case.channel, "accepted_on": case.accepted_on,
        "statutory_due": case.statutory_due, "promised_due": case.promised_due, "due": case.due,
        "due_provisional": case.due_provisional, "remaining_working_days": cases.remaining_days(case),
        "warning": case.warning, "version": case.version,
    }  # fmt: skip


def _detail(case: Case, request: HttpRequest) -> dict[str, Any]:
    return {
        **_case(case),
        "department": case.department.name,
        "form_data": case.form_data,
        "form_sources": case.form_sources,
        "timeline": [vars(entry) for entry in cases.timeline(case, for_public=False)],
        "materials": cases.held_material_rows(case),
        "missing": [vars(m) for m in cases.case_precheck(case)] if case.stage in {"draft", "supplement"} else [],
        "actions": cases.available_actions(case, signed_in_user(request)),
    }


def _decode(content_base64: str, position: int) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError(
            _("The file is not valid base64."), fields={f"materials.{position}": _("Re-encode it.")}
        ) from exc


@router.post("", response={200: CaseDetailOut, 201: CaseDetailOut}, summary="Apply (create and submit at once)")
def apply(request: HttpRequest, payload: ApplyIn) -> tuple[int, dict[str, Any]]:
    """Send an `Idempotency-Key` header: a retry with the same key answers the first case (200) and creates
    nothing. Without it the request is refused, so a network retry can never create a duplicate."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not 8 <= len(key) <= 80:
        raise DomainError(_("Send an Idempotency-Key header (8 to 80 characters)."), code="idempotency_key_required")
    materials = [
        {"position": m.position, "source": m.source, "reference": m.reference,
         "content": _decode(m.content_base64, m.position) if m.content_base64 else b""}
        for m in payload.materials
    ]  # fmt: skip
    user = signed_in_user(request)
    case, created = cases.case_apply(
        applicant=user, actor=user, item_code=payload.item_code, form_data=payload.form_data, materials=materials,
        idempotency_key=key,
    )  # fmt: skip
    return (201 if created else 200), _detail(case, request)


@router.post("/drafts", response={201: CaseDetailOut}, summary="Start a draft application")
def start_draft(request: HttpRequest, payload: DraftIn) -> tuple[int, dict[str, Any]]:
    """The draft comes back pre-filled where the item's form names a source (``form_sources`` says which), with
    the applicant's valid e-licenses and shared-data proofs already attached where they replace a material."""
    user = signed_in_user(request)
    case = cases.case_start(applicant=user, actor=user, item_code=payload.item_code)
    case = cases.case_prefill(case_id=case.pk, actor=user)
    cases.case_provide_automatically(case_id=case.pk, actor=user)
    return 201, _detail(case, request)


@router.patch("/{case_id}/form", response=CaseDetailOut, summary="Save answers of a draft's form")
def save_form(request: HttpRequest, case_id: int, payload: FormIn) -> dict[str, Any]:
    """Merges the answers; the pre-check (``missing``) then names each answer still missing or in a wrong format."""
    case = cases.case_update_form(case_id=case_id, actor=signed_in_user(request), form_data=payload.form_data)
    return _detail(case, request)


@router.post("/{case_id}/materials", response=CaseDetailOut, summary="Provide one listed material")
def add_material(
    request: HttpRequest,
    case_id: int,
    position: Form[int],
    source: Form[MaterialSource],
    reference: Form[str] = "",
    # ninja's spelling of an optional upload (File[UploadedFile] | None is not read from multipart bodies)
    file: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008
) -> dict[str, Any]:
    # Read one byte past the limit so an oversized file is refused by the check, not silently truncated.
    content = file.read(cases.MAX_UPLOAD_BYTES + 1) if file is not None else b""
    filename = (file.name or "") if file is not None else ""
    cases.case_attach_material(
        case_id=case_id,
        actor=signed_in_user(request),
        position=position,
        source=source,
        content=content,
        filename=filename,
        reference=reference,
    )
    return _detail(cases.case_get_for(signed_in_user(request), case_id), request)


@router.get("/{case_id}/precheck", response=list[MissingOut], summary="What is still missing (一次性告知)")
def precheck(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    return [vars(m) for m in cases.case_precheck(cases.case_get_for(signed_in_user(request), case_id))]


@router.post("/{case_id}/submit", response=CaseDetailOut, summary="Submit a draft")
def submit(request: HttpRequest, case_id: int) -> dict[str, Any]:
    key = request.headers.get("Idempotency-Key", "").strip() or None
    case = cases.case_submit(case_id=case_id, actor=signed_in_user(request), idempotency_key=key)
    return _detail(case, request)


def _case_list(rows: list[dict[str, Any]]) -> HttpResponse:
    """Rows already in CaseOut's shape (read as plain values from typed columns), written out directly: checking
    50 rows again through the schema cost more than reading them, and these two lists are the API's hottest
    reads. The documented schema stays ``list[CaseOut]``."""
    body = json.dumps(rows, cls=NinjaJSONEncoder, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("", response=list[CaseOut], summary="My cases (as applicant or submitter)")
def mine(request: HttpRequest, limit: int = 50, offset: int = 0) -> HttpResponse:
    return _case_list(cases.my_case_rows(signed_in_user(request), limit=min(max(limit, 1), 200), offset=max(offset, 0)))


@router.get("/queue", response=list[CaseOut], summary="Staff queue, most urgent first")
def queue(request: HttpRequest, filters: Query[QueueFilters]) -> HttpResponse:
    rows = cases.staff_queue_rows(
        signed_in_user(request), stage=filters.stage, warning=filters.warning, query=filters.q,
        limit=filters.limit, offset=filters.offset,
    )  # fmt: skip
    return _case_list(rows)


@router.get("/{case_id}", response=CaseDetailOut, summary="One case with its timeline and what is needed")
def detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _detail(cases.case_get_for(signed_in_user(request), case_id), request)


ACTIONS = {
    "accept": lambda case_id, user, body: cases.case_accept(
        case_id=case_id, actor=user, expected_version=body.expected_version, comment=body.comment),
    "refuse_acceptance": lambda case_id, user, body: cases.case_refuse_acceptance(
        case_id=case_id, actor=user, reasons=body.reasons, checklist=body.checklist,
        expected_version=body.expected_version),
    "request_supplement": lambda case_id, user, body: cases.case_request_supplement(
        case_id=case_id, actor=user, reason=body.reasons or body.comment, checklist=body.checklist,
        expected_version=body.expected_version),
    "supply": lambda case_id, user, body: cases.case_supply(
        case_id=case_id, actor=user, expected_version=body.expected_version, comment=body.comment),
    "forward": lambda case_id, user, body: cases.case_forward(
        case_id=case_id, actor=user, expected_version=body.expected_version, comment=body.comment),
    "return": lambda case_id, user, body: cases.case_return(
        case_id=case_id, actor=user, comment=body.comment, expected_version=body.expected_version),
    "approve": lambda case_id, user, body: cases.case_approve(
        case_id=case_id, actor=user, expected_version=body.expected_version, comment=body.comment),
    "deny": lambda case_id, user, body: cases.case_deny(
        case_id=case_id, actor=user, legal_reasons=body.legal_reasons, expected_version=body.expected_version),
    "suspend": lambda case_id, user, body: cases.case_suspend(
        case_id=case_id, actor=user, kind=body.kind, reason=body.reasons or body.comment,
        expected_version=body.expected_version),
    "resume": lambda case_id, user, body: cases.case_resume(
        case_id=case_id, actor=user, expected_version=body.expected_version, comment=body.comment),
    "extend": lambda case_id, user, body: cases.case_extend(
        case_id=case_id, actor=user, days=body.days, reason=body.reasons or body.comment,
        expected_version=body.expected_version),
    "withdraw": lambda case_id, user, body: cases.case_withdraw(
        case_id=case_id, actor=user, expected_version=body.expected_version, comment=body.comment),
}  # fmt: skip
ActionName = Literal[
    "accept", "refuse_acceptance", "request_supplement", "supply", "forward", "return", "approve", "deny",
    "suspend", "resume", "extend", "withdraw",
]  # fmt: skip


@router.post("/{case_id}/actions/{action}", response=CaseDetailOut, summary="Take a workflow action")
def act(request: HttpRequest, case_id: int, action: ActionName, body: ActionIn) -> dict[str, Any]:
    """409 when the case moved on (another officer acted, or `expected_version` is stale); 403 when your role
    may not take this action; 404 when the case is not visible to you. A refused action changes nothing."""
    case = ACTIONS[action](case_id, signed_in_user(request), body)
    return _detail(case, request)
