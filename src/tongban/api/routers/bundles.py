"""一件事 and 告知承诺 over HTTP: a bundle's plan (one form, one material list, the saving), applying for it at
once (idempotent), following it; signing a commitment; the officers' post-check queue and decision. Thin:
parse, call cases' public services and selectors, shape the answer. Errors use the one error shape."""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from tongban.api.accounts import signed_in_user
from tongban.cases import public as cases
from tongban.common.public import DomainError

router = Router(tags=["bundles"], auth=django_auth)
commitments_router = Router(tags=["commitments"], auth=django_auth)


# --- Bundles ---------------------------------------------------------------------------------------------------
class SavingOut(Schema):
    materials_before: int
    materials_after: int
    days_before: int = Field(description="Working days, promised (else statutory), items one after another.")
    days_after: int = Field(description="Working days along the longest chain of stages.")
    statutory_days_before: int
    statutory_days_after: int
    visits_before: int
    visits_after: int
    shared_materials: list[str]


class FieldOut(Schema):
    name: str = Field(description="The key to send in form_data.")
    title: str
    required: bool
    items: list[str]


class BundleMaterialOut(Schema):
    key: int = Field(description="The key to send in materials.")
    name: str
    required: bool
    items: list[str]
    from_step: str = Field(description="An earlier item whose result provides it: nothing to send.")
    commitment_items: list[str] = Field(description="Item codes where signing the commitment replaces it.")


class StepOut(Schema):
    code: str
    name: str
    stage: int
    department: str
    commitment_text: str


class PlanOut(Schema):
    slug: str
    name: str
    steps: list[StepOut]
    fields: list[FieldOut]
    materials: list[BundleMaterialOut]
    saving: SavingOut


class BundleMaterialIn(Schema):
    key: int = Field(ge=1)
    content_base64: str = Field(description="The file (PDF, JPEG or PNG), base64-encoded.")


class BundleApplyIn(Schema):
    form_data: dict[str, Any] = Field(default_factory=dict)
    materials: list[BundleMaterialIn] = Field(default_factory=list, max_length=100)
    commit_for: list[str] = Field(default_factory=list, description="Item codes whose commitment is signed.")


class ChildOut(Schema):
    id: int
    number: str | None
    item_code: str
    item_name: str
    department: str
    bundle_stage: int | None
    stage: str
    outcome: str
    due: date | None


class ResultOut(Schema):
    number: str
    type: str
    case: str | None


class BundleOut(Schema):
    id: int
    number: str
    slug: str
    name: str
    status: str
    outcome_note: str
    submitted_at: datetime | None
    completed_at: datetime | None
    done: int
    total: int
    children: list[ChildOut]
    results: list[ResultOut] = Field(description="All e-licenses issued, listed once every child is decided.")
    saving: SavingOut


def _plan(plan: cases.BundlePlan) -> dict[str, Any]:
    steps = {s.index: s for s in plan.steps}
    required = set(plan.schema.get("required", []))
    return {
        "slug": plan.slug,
        "name": plan.name,
        "steps": [
            {"code": s.code, "name": s.name, "stage": s.stage, "department": s.department_name,
             "commitment_text": s.info.commitment_text}
            for s in plan.steps
        ],
        "fields": [
            {"name": f.name, "title": str(f.spec.get("title") or f.name), "required": f.name in required,
             "items": [steps[i].code for i in f.steps]}
            for f in plan.fields
        ],
        "materials": [
            {"key": m.key, "name": m.name, "required": m.required, "items": [steps[i].code for i in m.positions],
             "from_step": m.from_step, "commitment_items": [steps[i].code for i in m.commitment_steps]}
            for m in plan.materials
        ],
        "saving": asdict(plan.saving),
    }  # fmt: skip


def _bundle(bundle: cases.BundleCase) -> dict[str, Any]:
    progress = cases.bundle_progress(bundle)
    return {
        "id": bundle.pk,
        "number": bundle.number,
        "slug": bundle.slug,
        "name": bundle.name,
        "status": bundle.status,
        "outcome_note": bundle.outcome_note,
        "submitted_at": bundle.submitted_at,
        "completed_at": bundle.completed_at,
        "done": progress.done,
        "total": progress.total,
        "children": [
            {"id": c.pk, "number": c.number, "item_code": c.item_code, "item_name": c.item_name,
             "department": c.department.name, "bundle_stage": c.bundle_stage, "stage": c.stage,
             "outcome": c.outcome, "due": c.due}
            for c in progress.children
        ],
        "results": bundle.results,
        "saving": bundle.saving,
    }  # fmt: skip


def _decode(content_base64: str, key: int) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError(_("The file is not valid base64."), fields={f"material_{key}": _("Re-encode it.")}) from exc


@router.get("/{slug}/plan", response=PlanOut, summary="What applying for a bundle asks, and what it saves")
def plan(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _plan(cases.bundle_plan(slug=slug))


@router.post("/{slug}/apply", response={200: BundleOut, 201: BundleOut}, summary="Apply for a bundle at once")
def apply(request: HttpRequest, slug: str, payload: BundleApplyIn) -> Status[dict[str, Any]]:
    """One form, one material set, one pre-check and one submission for every item of the bundle. Send an
    `Idempotency-Key` header: a retry with the same key answers the first application (200)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not 8 <= len(key) <= 80:
        raise DomainError(_("Send an Idempotency-Key header (8 to 80 characters)."), code="idempotency_key_required")
    user = signed_in_user(request)
    bundle, created = cases.bundle_apply(
        applicant=user,
        actor=user,
        slug=slug,
        form_data=payload.form_data,
        materials=[
            {"key": m.key, "source": "upload", "content": _decode(m.content_base64, m.key)} for m in payload.materials
        ],
        commit_for=payload.commit_for,
        idempotency_key=key,
    )
    return Status(201 if created else 200, _bundle(bundle))


@router.get("/applications/{bundle_id}", response=BundleOut, summary="One bundle application: combined progress")
def detail(request: HttpRequest, bundle_id: int) -> dict[str, Any]:
    return _bundle(cases.bundle_get_for(signed_in_user(request), bundle_id))


# --- Commitments and post-checks -------------------------------------------------------------------------------
class CommitmentOut(Schema):
    case_id: int
    text: str
    materials: list[dict[str, Any]]
    signer_name: str
    real_name_level: str
    signed_at: datetime


class PostCheckOut(Schema):
    id: int
    case_id: int
    case_number: str | None
    item_name: str
    due_on: date
    status: str
    licenses: list[str]
    findings: str
    decided_at: datetime | None
    version: int


class DecisionIn(Schema):
    result: Literal["passed", "failed"]
    findings: str = Field("", max_length=4000)
    expected_version: int | None = None


def _check(check: cases.PostCheck) -> dict[str, Any]:
    return {
        "id": check.pk,
        "case_id": check.case_id,
        "case_number": check.case.number,
        "item_name": check.case.item_name,
        "due_on": check.due_on,
        "status": check.status,
        "licenses": check.licenses,
        "findings": check.findings,
        "decided_at": check.decided_at,
        "version": check.version,
    }


@commitments_router.post("/cases/{case_id}/sign", response=CommitmentOut, summary="Sign the item's commitment")
def sign(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """告知承诺: the signed commitment replaces the materials the item lets it replace (trust level D)."""
    signed = cases.commitment_sign(case_id=case_id, actor=signed_in_user(request))
    return {
        "case_id": signed.case_id,
        "text": signed.text,
        "materials": signed.materials,
        "signer_name": signed.signer_name,
        "real_name_level": signed.real_name_level,
        "signed_at": signed.signed_at,
    }


@commitments_router.get("/postchecks", response=list[PostCheckOut], summary="Post-checks of my departments")
def postchecks(request: HttpRequest, status: Literal["scheduled", "passed", "failed"] = "scheduled") -> list[Any]:
    return [_check(c) for c in cases.postcheck_queue(signed_in_user(request), status=status)]


@commitments_router.post("/postchecks/{postcheck_id}/decision", response=PostCheckOut, summary="Decide a post-check")
def decide(request: HttpRequest, postcheck_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Failed: the case's e-licenses are revoked (verification then says "revoked") and the false commitment
    is recorded on the applicant's record. Findings are required when it fails."""
    user = signed_in_user(request)
    cases.postcheck_get_for(user, postcheck_id)
    check = cases.postcheck_decide(
        postcheck_id=postcheck_id,
        actor=user,
        passed=payload.result == "passed",
        findings=payload.findings,
        expected_version=payload.expected_version,
    )
    return _check(check)
