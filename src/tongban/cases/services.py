"""The only writers of cases. One function per state change; each locks the case, checks the transition table
(:mod:`tongban.cases.workflow`) and the actor's role, writes, appends the history and the audit event, and
puts a message in the applicant's inbox — all in one transaction, so a change is stored whole or not at all.

Two officers acting at once: the second waits on the row lock, then finds the case moved on (its
``expected_version`` no longer matches, or the action is no longer allowed in the new stage) and gets a
:class:`~tongban.common.public.Conflict`; nothing of its request is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils.translation import gettext as _

from tongban.cases import aftercare, dates, provision
from tongban.cases.history import append_history, audit_case, history_line, next_case_number, tell_applicant
from tongban.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    ItemSnapshot,
    Outcome,
    Stage,
    Suspension,
)
from tongban.cases.models import SuspensionKind as Kind
from tongban.cases.roles import roles_on
from tongban.cases.sweeps import warning_for
from tongban.cases.uploads import check_upload
from tongban.cases.workflow import DEFAULT_PLAN, Role, is_decision_stage, resolve_target, rule_for
from tongban.catalog.public import ItemInfo, item_info
from tongban.common.public import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ProcessMemory,
    formschema,
    insert_rows,
    log_event,
    shaped_value_rows,
)
from tongban.identity.public import Department, StaffRole, User, act_for, staff_scope
from tongban.workcalendar.public import add_working_days, current_calendar, working_days_between

logger = logging.getLogger(__name__)


# --- Clock helpers ----------------------------------------------------------------------------------------
def _add(start: date, days: int, unit: str) -> tuple[date, bool]:
    """Add a time limit in its unit: working days on the official calendar, or calendar days."""
    if unit == "natural":
        return start + timedelta(days=days), False
    due = add_working_days(start, days, current_calendar())
    return due.due, due.provisional


def _elapsed(start: date, end: date, unit: str) -> int:
    if unit == "natural":
        return (end - start).days
    return working_days_between(start, end, current_calendar()).days


def _limits(case: Case) -> dict[str, Any]:
    snapshot = case.item_snapshot
    return {
        "statutory": (snapshot.get("statutory_limit_days"), snapshot.get("statutory_limit_unit") or "working"),
        "promised": (snapshot.get("promised_limit_days"), snapshot.get("promised_limit_unit") or "working"),
    }


def _start_clock(case: Case, on: date) -> None:
    case.accepted_on = on
    provisional = False
    for name, (days, unit) in _limits(case).items():
        due = None
        if days is not None:
            due, flagged = _add(on, days, unit)
            provisional = provisional or flagged
        setattr(case, f"{name}_due", due)
    case.due_provisional = provisional
    _refresh_due(case)


def _refresh_due(case: Case) -> None:
    """The date officers work to: the promised one where the guide promises one, else the statutory one."""
    case.due = case.promised_due or case.statutory_due
    case.warning = warning_for(case.due, dates.today()) if case.is_open or case.stage == Stage.DRAFT else ""


def _move_due_dates(case: Case, days: int) -> None:
    """Push both due dates back by ``days`` in their own units (after a suspension or an extension)."""
    for name, (_days, unit) in _limits(case).items():
        due = getattr(case, f"{name}_due")
        if due is not None and days:
            moved, flagged = _add(due, days, unit)
            setattr(case, f"{name}_due", moved)
            case.due_provisional = case.due_provisional or flagged
    _refresh_due(case)


# --- Drafts, materials, pre-check -------------------------------------------------------------------------
@dataclass(frozen=True)
class Missing:
    """One thing still needed before submission (一次性告知)."""

    field: str  # "material_<position>" or "form_<property>"
    label: str
    hint: str

    @property
    def anchor(self) -> str:
        """The id of the page element to fix it at: the material, or the form field."""
        kind, _sep, name = self.field.partition("_")
        return f"material-{name}" if kind == "material" else f"id_form-{name}"


def _snapshot(info: ItemInfo) -> dict[str, Any]:
    data = asdict(info)
    data["materials"] = [asdict(m) for m in info.materials]
    return data


def _clerk_roles(actor: User) -> set[Role]:
    """Window clerks take applications for walk-in applicants at any service centre (一窗受理)."""
    if not actor.is_staff:
        return set()
    scope = staff_scope(actor)
    return {Role.WINDOW_CLERK} if StaffRole.WINDOW_CLERK in scope.roles or scope.everything else set()


# (item code, version) → the pk of its stored snapshot. A snapshot row is written once per version and never
# changed or deleted (cases refer to it with PROTECT), so this process may remember where it is.
_snapshot_pks: ProcessMemory[tuple[str, int], int] = ProcessMemory(limit=20_000)


def _stored_snapshot(info: ItemInfo) -> ItemSnapshot:
    """The stored snapshot of the item version (stored once per version, on its first application). Its data
    is the version as published, which never changes: it is built here rather than read back and decoded."""
    data = _snapshot(info)
    key = (info.code, info.version_number)
    pk = _snapshot_pks.get(key)
    if pk is None:
        found = shaped_value_rows(
            "cases.stored_snapshot",
            lambda v: ItemSnapshot.objects.filter(item_code=v["code"], version=v["version"]),
            {"code": info.code, "version": info.version_number},
            ("pk",),
        )
        if not found:
            ItemSnapshot.objects.bulk_create(
                [ItemSnapshot(item_code=info.code, version=info.version_number, data=data)], ignore_conflicts=True
            )
            found = [{"pk": ItemSnapshot.objects.values_list("pk", flat=True).get(item_code=key[0], version=key[1])}]
        pk = found[0]["pk"]
        if not transaction.get_connection().in_atomic_block:  # a row written in an open transaction may roll back
            _snapshot_pks.remember(key, pk)
    return ItemSnapshot(pk=pk, item_code=info.code, version=info.version_number, data=data)


def _plan(info: ItemInfo) -> list[str]:
    return [] if info.is_immediate else [str(stage) for stage in DEFAULT_PLAN]


def case_start(*, applicant: User, actor: User, item_code: str, channel: str = "online") -> Case:
    """Open a draft application for ``item_code`` (its current version is snapshotted now)."""
    info, department = _start_checks(applicant=applicant, actor=actor, item_code=item_code)
    with transaction.atomic():
        case, started = _new_draft(applicant=applicant, actor=actor, info=info, department=department, channel=channel)
        started.save()
    return case


def _start_checks(*, applicant: User, actor: User, item_code: str) -> tuple[ItemInfo, Department]:
    """May ``actor`` apply for ``applicant``; the item's current version and its competent department."""
    if actor.pk != applicant.pk and Role.WINDOW_CLERK not in _clerk_roles(actor):
        act_for(actor=actor, item_code=item_code, principal=applicant, action="case_start")  # refuses if not authorised
    info = item_info(code=item_code)
    return info, _competent_department(info)


def _competent_department(info: ItemInfo) -> Department:
    """The item's implementing department, which the case is routed to, as the catalog read it with the version
    (a foreign key, so it exists): its id, code and name; any other field loads when first asked for."""
    return Department.from_db(
        DEFAULT_DB_ALIAS, ["id", "code", "name"], [info.department_id, info.department_code, info.department_name]
    )


def _new_draft(
    *,
    applicant: User,
    actor: User,
    info: ItemInfo,
    department: Department,
    channel: str,
    form_data: dict[str, Any] | None = None,
) -> tuple[Case, CaseEvent]:
    """Insert the draft (inside the caller's transaction); returns it with its unsaved "start" event."""
    case = _unsaved_draft(
        applicant=applicant, actor=actor, info=info, department=department, channel=channel, form_data=form_data
    )
    case.save(force_insert=True)
    return case, history_line(case, actor, Role.APPLICANT, "start", "", Stage.DRAFT)


def _unsaved_draft(
    *,
    applicant: User,
    actor: User,
    info: ItemInfo,
    department: Department,
    channel: str,
    form_data: dict[str, Any] | None,
) -> Case:
    return Case(
        region_code=info.region_code,
        item_code=info.code,
        item_version=info.version_number,
        item_name=info.name,
        snapshot=_stored_snapshot(info),
        department=department,
        applicant=applicant,
        submitted_by=actor,
        channel=channel,
        stage=Stage.DRAFT,
        stage_plan=_plan(info),
        form_data=form_data or {},
    )


def _locked(case_id: int) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("snapshot").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."))
    return case


def _own_draft(case_id: int, actor: User) -> Case:
    case = _locked(case_id)
    if Role.APPLICANT not in roles_on(case, actor) and Role.WINDOW_CLERK not in roles_on(case, actor):
        raise NotFound(_("No such case."))  # not yours: indistinguishable from missing
    if case.stage not in (Stage.DRAFT, Stage.SUPPLEMENT):
        raise Conflict(_("This application was already submitted; it can no longer be edited."))
    return case


def case_update_form(*, case_id: int, actor: User, form_data: dict[str, Any]) -> Case:
    with transaction.atomic():
        case = _own_draft(case_id, actor)
        case.form_data = {**case.form_data, **form_data}
        case.version += 1
        case.save(update_fields=["form_data", "version", "updated_at"])
    return case


def _material(case: Case, position: int) -> dict[str, Any]:
    for material in case.item_snapshot["materials"]:
        if material["position"] == position:
            return dict(material)
    raise DomainError(_("This item lists no such material."), fields={"position": _("Unknown material.")})


def case_attach_material(
    *,
    case_id: int,
    actor: User,
    position: int,
    source: str,
    content: bytes = b"",
    filename: str = "",
    reference: str = "",
) -> CaseMaterial:
    """Satisfy listed material ``position`` by an upload, a clerk-verified copy, an e-license, shared data
    or a signed commitment. An upload is checked (type, size, pages, scan) before anything is stored."""
    if source not in CaseMaterial.Source.values:
        raise DomainError(_("Unknown way to provide a material."), fields={"source": _("Choose how to provide it.")})
    if source in (CaseMaterial.Source.E_LICENSE, CaseMaterial.Source.SHARED_DATA):
        return _attach_from_source(case_id=case_id, actor=actor, position=position, source=source)
    kind = check_upload(content) if source == CaseMaterial.Source.UPLOAD else ""
    with transaction.atomic():
        case = _own_draft(case_id, actor)
        listed = _material(case, position)
        if source == CaseMaterial.Source.COMMITMENT and listed["substitute"] != "commitment":
            raise DomainError(
                _("This material cannot be replaced by a commitment."), fields={"source": _("Provide the material.")}
            )
        if source == CaseMaterial.Source.CLERK_VERIFIED and Role.WINDOW_CLERK not in roles_on(case, actor):
            raise PermissionDenied(_("Only a window clerk can verify a copy."))
        CaseMaterial.objects.filter(case=case, position=position).delete()
        material = CaseMaterial(
            case=case,
            position=position,
            name=listed["name"],
            source=source,
            trust_level=CaseMaterial.TRUST[source],
            reference=reference[:200],
            content_type=kind,
            size=len(content),
            added_by=actor,
        )
        if content:
            material.file.save(f"{case.pk}-{position}{_extension(kind)}", ContentFile(content), save=False)
        material.save()
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
    log_event(logger, "case_material_attached", case_id=case.pk, position=position, source=source)
    return material


def _attach_from_source(*, case_id: int, actor: User, position: int, source: str) -> CaseMaterial:
    """An e-license or shared data is never taken on the caller's word: the platform looks it up itself."""
    case = Case.objects.select_related("snapshot", "applicant").filter(pk=case_id).first()
    if case is None or not roles_on(case, actor) & {Role.APPLICANT, Role.WINDOW_CLERK}:
        raise NotFound(_("No such case."))
    _material(case, position)
    found, _stale = provision.find_provisions(case)
    match = [f for f in found if f.position == position and f.source == source]
    if not match:
        message = (
            _("None of your valid e-licenses replaces this material.")
            if source == CaseMaterial.Source.E_LICENSE
            else _("Shared government data cannot prove this material just now; upload it instead.")
        )
        raise DomainError(message, fields={f"material_{position}": message}, code="not_provided_by_source")
    with transaction.atomic():
        case = _own_draft(case_id, actor)
        CaseMaterial.objects.filter(case=case, position=position).delete()
        (material,) = provision.store_provisions(case, match, [], actor)
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
    log_event(logger, "case_material_attached", case_id=case.pk, position=position, source=source)
    return material


def case_provide_automatically(*, case_id: int, actor: User) -> list[CaseMaterial]:
    """Attach every valid held e-license and shared-data proof that replaces a material still missing, and take
    off e-licenses that stopped being valid. The look-ups run before the row lock; nothing the applicant
    provided meanwhile is replaced. Called when the draft is shown and again on submission."""
    case = Case.objects.select_related("snapshot", "applicant").filter(pk=case_id).first()
    if case is None or case.stage not in (Stage.DRAFT, Stage.SUPPLEMENT):
        return []
    if not roles_on(case, actor) & {Role.APPLICANT, Role.WINDOW_CLERK}:
        raise NotFound(_("No such case."))
    found, stale = provision.find_provisions(case)
    if not found and not stale:
        return []
    with transaction.atomic():
        case = _own_draft(case_id, actor)
        added = provision.store_provisions(case, found, stale, actor)
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
    log_event(logger, "case_materials_provided", case_id=case.pk, added=len(added), removed=len(stale))
    return added


def case_prefill(*, case_id: int, actor: User) -> Case:
    """Fill the form's empty answers from the account and from shared data, keeping each answer's source."""
    case = Case.objects.select_related("snapshot", "applicant").filter(pk=case_id).first()
    if case is None or not roles_on(case, actor) & {Role.APPLICANT, Role.WINDOW_CLERK}:
        raise NotFound(_("No such case."))
    answers, sources = provision.prefill(case)
    if not answers:
        return case
    with transaction.atomic():
        case = _own_draft(case_id, actor)
        fresh = {k: v for k, v in answers.items() if case.form_data.get(k) in (None, "")}
        case.form_data = {**case.form_data, **fresh}
        case.form_sources = {**case.form_sources, **{k: sources[k] for k in fresh}}
        case.version += 1
        case.save(update_fields=["form_data", "form_sources", "version", "updated_at"])
    return case


def _extension(kind: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(kind, "")


def case_precheck(case: Case, *, provided: set[int] | None = None) -> list[Missing]:
    """Everything still missing before submission — the form's answers first, then the materials in guide
    order — never a bare "no". ``provided``: the material positions, when the caller knows them (a case not
    yet stored)."""
    if provided is None:
        provided = set(case.materials.values_list("position", flat=True))
    schema = case.item_snapshot.get("form_schema") or {}
    titles = {name: str(spec.get("title") or name) for name, spec in formschema.properties(schema).items()}
    missing = [
        Missing(f"form_{name}", titles.get(name, name), problem)
        for name, problem in formschema.problems(schema, case.form_data).items()
    ]
    for material in case.item_snapshot["materials"]:
        if material["requirement"] == "required" and material["position"] not in provided:
            hint = {
                "e_license": _("Can be taken from your e-licenses."),
                "shared_data": _("Shared government data could not prove it just now: upload it, or try again later."),
                "commitment": _("Can be replaced by a signed commitment."),
            }.get(material["substitute"], _("Upload a scan or photo (PDF, JPEG or PNG)."))
            missing.append(Missing(f"material_{material['position']}", material["name"], hint))
    return missing


# --- Submission -------------------------------------------------------------------------------------------
def case_submit(*, case_id: int, actor: User, idempotency_key: str | None = None) -> Case:
    """Submit a draft. Refused with the full checklist when something is missing. Submitting the same draft
    again with the same key answers the already-submitted case instead of failing."""
    case_provide_automatically(case_id=case_id, actor=actor)  # held e-licenses and shared data, checked afresh
    with transaction.atomic():
        case = _locked(case_id)
        if case.stage != Stage.DRAFT:
            if idempotency_key and case.idempotency_key == idempotency_key:
                return case
            raise Conflict(_("This application was already submitted."))
        case = _own_draft(case_id, actor)
        _precheck_or_refuse(case)
        if idempotency_key:
            existing = Case.objects.filter(submitted_by=actor, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        _submit(case, actor, idempotency_key)
    log_event(logger, "case_submitted", case_id=case.pk, number=case.number, channel=case.channel)
    return case


def _submit(
    case: Case, actor: User, idempotency_key: str | None, *earlier: CaseEvent, license_uses: bool = True
) -> None:
    """Submit the locked draft ``case`` inside the caller's transaction, after the pre-check passed. History
    lines not yet saved (``earlier``) are written with the submission's in one INSERT. ``license_uses`` False:
    the caller knows no e-license is attached (nothing to log in a holder's usage log)."""
    case.idempotency_key = idempotency_key
    case.stage = Stage.SUBMITTED
    case.submitted_at = dates.now()
    case.version += 1
    case.number = next_case_number(case.region_code, dates.today())
    case.save(update_fields=["idempotency_key", "stage", "submitted_at", "version", "number", "updated_at"])
    if license_uses:
        provision.record_license_uses(case, actor)
    insert_rows([*earlier, history_line(case, actor, Role.APPLICANT, "submit", Stage.DRAFT, Stage.SUBMITTED)])
    _announce_submission(case, actor)


def _announce_submission(case: Case, actor: User) -> None:
    """The audit event and the applicant's message of a submission, in the submitting transaction."""
    audit_case(case, actor, "case.submitted", None, {"stage": Stage.SUBMITTED, "number": case.number})
    tell_applicant(
        case, _("Application received"), _("Your application %(number)s was received.") % {"number": case.number}
    )


def _precheck_or_refuse(case: Case, *, provided: set[int] | None = None) -> None:
    missing = case_precheck(case, provided=provided)
    if missing:
        raise DomainError(
            _("Some things are still missing; the list shows each one."),
            fields={m.field: f"{m.label}: {m.hint}" for m in missing},
            code="precheck_failed",
        )


def case_apply(
    *,
    applicant: User,
    actor: User,
    item_code: str,
    form_data: dict[str, Any],
    materials: list[dict[str, Any]],
    idempotency_key: str,
    channel: str = "online",
) -> tuple[Case, bool]:
    """Create, fill and submit in one transaction (the API's path). Returns (case, created); a retry with
    the same key returns the first case and creates nothing.

    With nothing attached by hand the key is not looked up beforehand, since nearly every request is a new
    application: the case's INSERT meets the unique index on (submitter, key), and the first case is answered
    then. A retry that a check would now refuse (the item withdrawn meanwhile, say) is answered with its first
    case too. Attached files are stored before the case is submitted, so with materials the key is looked up
    first."""
    if materials:
        existing = _applied_with_key(actor, idempotency_key)
        if existing is not None:
            return existing, False
    try:
        info, department = _start_checks(applicant=applicant, actor=actor, item_code=item_code)
        if not materials:
            case = _apply_as_submitted(
                applicant=applicant, actor=actor, info=info, department=department, channel=channel,
                form_data=form_data, idempotency_key=idempotency_key,
            )  # fmt: skip
        else:
            with transaction.atomic():
                case, started = _new_draft(
                    applicant=applicant, actor=actor, info=info, department=department, channel=channel,
                    form_data=form_data,
                )  # fmt: skip
                started.save()
                for material in materials:
                    case_attach_material(case_id=case.pk, actor=actor, **material)
                return case_submit(case_id=case.pk, actor=actor, idempotency_key=idempotency_key), True
        log_event(logger, "case_submitted", case_id=case.pk, number=case.number, channel=case.channel)
        return case, True
    except IntegrityError as exc:  # the key was used before, or raced in from a second request: the first case
        existing = _applied_with_key(actor, idempotency_key)
        if existing is None:
            _snapshot_pks.forget()  # in case a remembered snapshot row is gone (a database reset under us)
            raise Conflict(_("The application could not be stored; please try again.")) from exc
        return existing, False
    except DomainError:
        existing = None if materials else _applied_with_key(actor, idempotency_key)
        if existing is None:
            raise
        return existing, False


def _applied_with_key(actor: User, idempotency_key: str) -> Case | None:
    """The case ``actor`` already submitted with this key (asked on every application: read by the partial
    unique index, its SQL composed once)."""
    found = shaped_value_rows(
        "cases.applied_with_key",
        lambda v: Case.objects.filter(submitted_by_id=v["actor"], idempotency_key=v["key"]),
        {"actor": actor.pk, "key": idempotency_key},
        ("id",),
    )
    return Case.objects.filter(pk=found[0]["id"]).first() if found else None


def _apply_as_submitted(
    *,
    applicant: User,
    actor: User,
    info: ItemInfo,
    department: Department,
    channel: str,
    form_data: dict[str, Any],
    idempotency_key: str,
) -> Case:
    """An application with nothing attached by hand, written once, already submitted: the held e-licenses and
    shared data that replace its materials are found and the pre-check passes before anything is stored (no
    department-system call inside the transaction), then one INSERT of the case — no draft row to update, no
    row lock to take, since no one else can see the case before commit."""
    case = _unsaved_draft(
        applicant=applicant, actor=actor, info=info, department=department, channel=channel, form_data=form_data
    )
    found, _stale = provision.find_provisions(case) if case.item_snapshot["materials"] else ([], [])
    _precheck_or_refuse(case, provided={item.position for item in found})
    started = history_line(case, actor, Role.APPLICANT, "start", "", Stage.DRAFT)
    with transaction.atomic():
        case.number = next_case_number(case.region_code, dates.today())
        case.idempotency_key, case.stage, case.submitted_at = idempotency_key, Stage.SUBMITTED, dates.now()
        case.version = 2 if found else 1  # as for a draft: +1 for the materials provided, +1 for submitting
        insert_rows([case])
        stored: list[CaseMaterial] = []
        if found:
            stored = provision.store_provisions(case, found, [], actor, fresh=True)
            provision.record_license_uses(case, actor, found)
            log_event(logger, "case_materials_provided", case_id=case.pk, added=len(found), removed=0)
        submitted = history_line(case, actor, Role.APPLICANT, "submit", Stage.DRAFT, Stage.SUBMITTED)
        started.case = case
        insert_rows([started, submitted])
        _announce_submission(case, actor)
    _knows_its_rows(case, events=[started, submitted], materials=stored)
    return case


def _knows_its_rows(case: Case, *, events: list[CaseEvent], materials: list[CaseMaterial]) -> None:
    """The case's only history and materials are the rows just written: they are put where
    ``prefetch_related`` puts what it read, so the answer shows them without reading them back (a filter or
    ``values()`` on the relation still reads the database, as after any prefetch)."""
    known = {}
    for relation, rows in (("events", events), ("materials", materials)):
        queryset = getattr(case, relation).all()
        queryset._result_cache, queryset._prefetch_done = list(rows), True
        known[relation] = queryset
    case._prefetched_objects_cache = known  # type: ignore[attr-defined]


# --- Officer and applicant actions ------------------------------------------------------------------------
Apply = Callable[[Case, str], dict[str, Any]]


def _move(
    *,
    case_id: int,
    actor: User,
    action: str,
    expected_version: int | None,
    comment: str = "",
    apply: Apply | None = None,
    tell: tuple[str, str] | None = None,
) -> Case:
    with transaction.atomic():
        case = _locked(case_id)
        roles = roles_on(case, actor)
        if not roles:
            raise NotFound(_("No such case."))
        if expected_version is not None and case.version != expected_version:
            raise Conflict(_("Someone else changed this case a moment ago. Reload it to see its current state."))
        rule = rule_for(case.stage, action)
        if rule is None or _guard_blocks(case, action):
            raise Conflict(
                _("This case is now “%(stage)s”; this action is not possible.") % {"stage": case.get_stage_display()}
            )
        acting = roles & rule.roles
        if not acting:
            raise PermissionDenied(_("Your role cannot take this action on this case."))
        role = sorted(acting)[0]
        before = {"stage": case.stage, "version": case.version}
        target = resolve_target(rule, stage=case.stage, plan=case.stage_plan, resume_stage=case.resume_stage)
        details = apply(case, target) if apply else {}
        from_stage, case.stage = case.stage, target
        case.version += 1
        if target == Stage.CLOSED and case.closed_at is None:
            case.closed_at = dates.now()
        case.save()
        append_history(case, actor, role, action, from_stage, target, comment, details)
        audit_case(case, actor, f"case.{action}", before, {"stage": target, "version": case.version, **details})
        if tell:
            tell_applicant(case, *tell)
    log_event(logger, "case_moved", case_id=case.pk, action=action, stage=case.stage)
    return case


def _guard_blocks(case: Case, action: str) -> bool:
    """Rules the table cannot express: deciding only at the plan's last stage, forwarding only before it."""
    if action in {"approve", "deny"}:
        return not is_decision_stage(case.stage, case.stage_plan)
    if action == "forward":
        return is_decision_stage(case.stage, case.stage_plan)
    return False


def case_accept(*, case_id: int, actor: User, expected_version: int | None = None, comment: str = "") -> Case:
    """受理: starts the legal clock. An immediate item (即办件) is approved at acceptance."""

    def apply(case: Case, target: str) -> dict[str, Any]:
        _start_clock(case, dates.today())
        case.assignee = actor if target != Stage.CLOSED else None
        results: dict[str, Any] = {}
        if target == Stage.CLOSED:
            case.outcome = Outcome.APPROVED
            results = {**provision.issue_results(case), **aftercare.after_approval(case, actor)}  # 即办件
        return {
            "accepted_on": str(case.accepted_on),
            "statutory_due": str(case.statutory_due),
            "promised_due": str(case.promised_due),
            "provisional": case.due_provisional,
            **results,
        }

    return _move(
        case_id=case_id,
        actor=actor,
        action="accept",
        expected_version=expected_version,
        comment=comment,
        apply=apply,
        tell=(_("Application accepted"), _("Your application was accepted; the time limit runs from today.")),
    )


def case_refuse_acceptance(
    *, case_id: int, actor: User, reasons: str, checklist: list[dict[str, str]], expected_version: int | None = None
) -> Case:
    """不予受理 — always with the reasons and the list of what would make the application acceptable."""
    if not reasons.strip() or not checklist:
        raise DomainError(
            _("Give the reasons and what would make the application acceptable."),
            fields={"reasons": _("Required."), "checklist": _("List at least one thing.")},
        )

    def apply(case: Case, target: str) -> dict[str, Any]:
        case.outcome, case.outcome_reason = Outcome.NOT_ACCEPTED, reasons
        return {"checklist": checklist, **aftercare.after_closing(case, actor)}

    return _move(
        case_id=case_id,
        actor=actor,
        action="refuse_acceptance",
        expected_version=expected_version,
        comment=reasons,
        apply=apply,
        tell=(_("Application not accepted"), _("See the reasons and what would make it acceptable.")),
    )


def case_request_supplement(
    *, case_id: int, actor: User, reason: str, checklist: list[dict[str, Any]], expected_version: int | None = None
) -> Case:
    """补正: tell the applicant everything that is needed at once; after acceptance the clock stops."""
    if not checklist:
        raise DomainError(_("List everything that is needed, at once."), fields={"checklist": _("Required.")})

    def apply(case: Case, target: str) -> dict[str, Any]:
        case.resume_stage = case.stage
        if case.accepted_on is not None:
            case.suspended_since = dates.today()
        Suspension.objects.create(
            case=case, kind=Kind.SUPPLEMENT, started_on=dates.today(), reason=reason, checklist=checklist
        )
        return {"checklist": checklist}

    return _move(
        case_id=case_id,
        actor=actor,
        action="request_supplement",
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        tell=(
            _("Supplement needed"),
            _("Your application needs more before it can continue: %(reason)s") % {"reason": reason},
        ),
    )


def _end_suspension(case: Case) -> dict[str, Any]:
    suspension = case.suspensions.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()
    if suspension is None:
        return {}
    suspension.ended_on = dates.today()
    if case.accepted_on is not None:
        unit = _limits(case)["statutory"][1]
        suspension.working_days = max(_elapsed(suspension.started_on, suspension.ended_on, unit), 0)
        case.suspended_days += suspension.working_days
        _move_due_dates(case, suspension.working_days)
    suspension.save(update_fields=["ended_on", "working_days"])
    case.suspended_since = None
    case.resume_stage = ""
    return {"suspended_working_days": suspension.working_days, "statutory_due": str(case.statutory_due)}


def case_supply(*, case_id: int, actor: User, expected_version: int | None = None, comment: str = "") -> Case:
    """The applicant has supplied what was asked; the case resumes where it was and the due dates move."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is not None and case.stage == Stage.SUPPLEMENT:
            missing = case_precheck(case)
            if missing:
                raise DomainError(
                    _("Some things are still missing; the list shows each one."),
                    fields={m.field: f"{m.label}: {m.hint}" for m in missing},
                    code="precheck_failed",
                )
            stale = _not_supplied_again(case)
            if stale:
                raise DomainError(
                    _("Provide again each material the department asked for."),
                    fields={f"material_{p}": _("%(name)s: provide it again.") % {"name": n} for p, n in stale},
                    code="supplement_incomplete",
                )
        return _move(
            case_id=case_id,
            actor=actor,
            action="supply",
            expected_version=expected_version,
            comment=comment,
            apply=lambda case, target: _end_suspension(case),
        )


def _not_supplied_again(case: Case) -> list[tuple[int, str]]:
    """补正 checklist lines naming a material that was not provided again since the request."""
    suspension = case.suspensions.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()
    asked = case.events.filter(action="request_supplement").order_by("-at", "-id").first()
    if asked is None or suspension is None:
        return []
    fresh = set(case.materials.filter(added_at__gte=asked.at).values_list("position", flat=True))
    return [
        (line["position"], str(line.get("name", "")))
        for line in suspension.checklist
        if isinstance(line.get("position"), int) and line["position"] not in fresh
    ]


def case_forward(*, case_id: int, actor: User, expected_version: int | None = None, comment: str = "") -> Case:
    """承办 → 审核 → 批准: hand the case to the next stage of its plan."""
    return _move(
        case_id=case_id,
        actor=actor,
        action="forward",
        expected_version=expected_version,
        comment=comment,
        apply=lambda case, target: _unassign(case),
    )


def case_return(*, case_id: int, actor: User, comment: str, expected_version: int | None = None) -> Case:
    """Send the case back to the previous stage, saying why."""
    if not comment.strip():
        raise DomainError(_("Say why the case goes back."), fields={"comment": _("Required.")})
    return _move(
        case_id=case_id,
        actor=actor,
        action="return",
        expected_version=expected_version,
        comment=comment,
        apply=lambda case, target: _unassign(case),
    )


def _unassign(case: Case) -> dict[str, Any]:
    case.assignee = None
    return {}


def case_reassign(*, case_id: int, actor: User, assignee: User, expected_version: int | None = None) -> Case:
    def apply(case: Case, target: str) -> dict[str, Any]:
        if not roles_on(case, assignee) & {Role.HANDLER, Role.REVIEWER, Role.APPROVER}:
            raise DomainError(_("That person cannot work on this case."), fields={"assignee": _("Choose a colleague.")})
        case.assignee = assignee
        return {"assignee": assignee.pk}

    return _move(case_id=case_id, actor=actor, action="reassign", expected_version=expected_version, apply=apply)


def case_approve(*, case_id: int, actor: User, expected_version: int | None = None, comment: str = "") -> Case:
    def apply(case: Case, target: str) -> dict[str, Any]:
        case.outcome = Outcome.APPROVED
        return {"outcome": Outcome.APPROVED, **provision.issue_results(case), **aftercare.after_approval(case, actor)}

    return _move(
        case_id=case_id,
        actor=actor,
        action="approve",
        expected_version=expected_version,
        comment=comment,
        apply=apply,
        tell=(_("Application approved"), _("Your application was approved.")),
    )


def case_deny(*, case_id: int, actor: User, legal_reasons: str, expected_version: int | None = None) -> Case:
    """不予许可 — with the legal reasons, which the applicant sees."""
    if not legal_reasons.strip():
        raise DomainError(_("Give the legal reasons for the decision."), fields={"legal_reasons": _("Required.")})

    def apply(case: Case, target: str) -> dict[str, Any]:
        case.outcome, case.outcome_reason = Outcome.DENIED, legal_reasons
        return {"outcome": Outcome.DENIED, **aftercare.after_closing(case, actor)}

    return _move(
        case_id=case_id,
        actor=actor,
        action="deny",
        expected_version=expected_version,
        comment=legal_reasons,
        apply=apply,
        tell=(_("Application denied"), _("Your application was denied. The decision gives the reasons.")),
    )


def case_suspend(*, case_id: int, actor: User, kind: str, reason: str, expected_version: int | None = None) -> Case:
    """Stop the clock for a hearing, inspection or testing, or expert review."""
    if kind not in {Kind.HEARING, Kind.TESTING, Kind.EXPERT_REVIEW}:
        raise DomainError(_("Choose why the clock stops."), fields={"kind": _("Hearing, testing or expert review.")})

    def apply(case: Case, target: str) -> dict[str, Any]:
        case.resume_stage, case.suspended_since = case.stage, dates.today()
        Suspension.objects.create(case=case, kind=kind, started_on=dates.today(), reason=reason)
        return {"kind": kind}

    return _move(
        case_id=case_id, actor=actor, action="suspend", expected_version=expected_version, comment=reason, apply=apply
    )


def case_resume(*, case_id: int, actor: User, expected_version: int | None = None, comment: str = "") -> Case:
    return _move(
        case_id=case_id,
        actor=actor,
        action="resume",
        expected_version=expected_version,
        comment=comment,
        apply=lambda case, target: _end_suspension(case),
    )


def case_extend(*, case_id: int, actor: User, days: int, reason: str, expected_version: int | None = None) -> Case:
    """An approved extension (延期) moves the due dates by the granted working days."""
    if not 1 <= days <= 60 or not reason.strip():
        raise DomainError(
            _("Grant 1 to 60 days and give the reason."), fields={"days": _("1 to 60."), "reason": _("Required.")}
        )

    def apply(case: Case, target: str) -> dict[str, Any]:
        case.extended_days += days
        _move_due_dates(case, days)
        return {"extended_days": days, "statutory_due": str(case.statutory_due)}

    return _move(
        case_id=case_id,
        actor=actor,
        action="extend",
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        tell=(_("Time limit extended"), _("The time limit of your application was extended.")),
    )


def case_withdraw(*, case_id: int, actor: User, expected_version: int | None = None, comment: str = "") -> Case:
    def apply(case: Case, target: str) -> dict[str, Any]:
        case.outcome = Outcome.WITHDRAWN
        if case.suspended_since is not None:
            _end_suspension(case)
        return {"outcome": Outcome.WITHDRAWN, **aftercare.after_closing(case, actor)}

    return _move(
        case_id=case_id, actor=actor, action="withdraw", expected_version=expected_version, comment=comment, apply=apply
    )
