"""The only writers of the licenses context: issue, import, revoke, suspend, reinstate, record uses, remind."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.common.public import DomainError, NotFound, PermissionDenied, log_event, notify, record_audit
from tongban.identity.public import Enterprise, User, staff_scope
from tongban.licenses import credentials
from tongban.licenses.keys import active_key, issuer_did
from tongban.licenses.models import (
    HolderKind,
    License,
    LicenseStatus,
    LicenseType,
    LicenseUse,
    StatusList,
    StatusPurpose,
)
from tongban.licenses.status_list import LIST_SIZE, empty_bits, set_bit, status_list_document

logger = logging.getLogger(__name__)

Holder = User | Enterprise


# --- checks ---------------------------------------------------------------------------------------------------


def _require_issuer_staff(actor: User | None, license_type: LicenseType) -> None:
    """Staff of the issuing department (or above it, or an administrator). ``None`` is the system acting for
    a decided case (the cases issuance job) and is allowed only with a case reference."""
    if actor is None:
        return
    if not staff_scope(actor).covers_department(license_type.issuing_department_id):
        raise PermissionDenied(_("Only staff of the issuing department may do this."))


def _resolve_type(license_type: LicenseType | str) -> LicenseType:
    if isinstance(license_type, LicenseType):
        return license_type
    found = LicenseType.objects.select_related("issuing_department").filter(code=license_type).first()
    if found is None:
        raise NotFound(_("No such license type."), fields={"license_type": str(license_type)})
    return found


def _check_holder(license_type: LicenseType, holder: Holder) -> None:
    want_enterprise = license_type.holder_kind == HolderKind.ENTERPRISE
    if isinstance(holder, Enterprise) != want_enterprise:
        raise DomainError(
            _("This license type is issued to a %(kind)s.") % {"kind": license_type.get_holder_kind_display()},
            fields={"holder": _("wrong kind of holder")},
        )


_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "object": dict,
    "array": list,
}


def check_fields(schema: dict[str, Any], fields: dict[str, Any]) -> dict[str, str]:
    """Problems of ``fields`` under the type's schema (a JSON Schema subset: properties/type, required)."""
    problems: dict[str, str] = {}
    properties: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", []):
        if fields.get(name) in (None, ""):
            problems[f"fields.{name}"] = _("required")
    for name, value in fields.items():
        spec = properties.get(name)
        if spec is None:
            if properties:
                problems[f"fields.{name}"] = _("not a field of this license type")
            continue
        expected = _TYPES.get(spec.get("type", "string"))
        if expected is not None and value is not None and not isinstance(value, expected):
            problems[f"fields.{name}"] = _("wrong type")
        max_length = spec.get("maxLength")
        if isinstance(value, str) and isinstance(max_length, int) and len(value) > max_length:
            problems[f"fields.{name}"] = _("too long")
    return problems


def _add_years(moment: datetime, years: int) -> datetime:
    year = moment.year + years
    day = min(moment.day, calendar.monthrange(year, moment.month)[1])
    return moment.replace(year=year, day=day)


# --- status list slots ---------------------------------------------------------------------------------------


def _allocate_slots(count: int) -> list[tuple[int, int]]:
    """``count`` fresh (list number, index) pairs, shared by the revocation and suspension lists."""
    slots: list[tuple[int, int]] = []
    while len(slots) < count:
        current = (
            StatusList.objects.select_for_update().filter(purpose=StatusPurpose.REVOCATION).order_by("-list_no").first()
        )
        if current is None or current.next_index >= LIST_SIZE:
            list_no = 1 if current is None else current.list_no + 1
            for purpose in StatusPurpose.values:
                StatusList.objects.get_or_create(purpose=purpose, list_no=list_no, defaults={"bits": empty_bits()})
            continue
        take = min(count - len(slots), LIST_SIZE - current.next_index)
        slots.extend((current.list_no, current.next_index + n) for n in range(take))
        StatusList.objects.filter(pk=current.pk).update(next_index=F("next_index") + take)
        current.next_index += take
    return slots


def _allocate_numbers(license_type: LicenseType, count: int) -> list[int]:
    locked = LicenseType.objects.select_for_update().get(pk=license_type.pk)
    first = locked.next_seq
    LicenseType.objects.filter(pk=locked.pk).update(next_seq=first + count)
    return list(range(first, first + count))


def _format_number(license_type: LicenseType, seq: int, year: int) -> str:
    return license_type.number_format.format(
        code=license_type.code, year=year, seq=seq, region=license_type.issuing_department.region_id
    )


# --- issuance -------------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    holder: Holder
    fields: dict[str, Any]
    case_ref: str = ""
    number: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None


def _build(license_type: LicenseType, drafts: list[_Draft], *, now: datetime) -> list[License]:
    seqs = iter(_allocate_numbers(license_type, sum(1 for d in drafts if not d.number)))
    slots = _allocate_slots(len(drafts))
    key = active_key()
    department = license_type.issuing_department
    built = []
    for draft, (list_no, index) in zip(drafts, slots, strict=True):
        valid_from = (draft.valid_from or now).replace(microsecond=0)
        valid_until = draft.valid_until
        if valid_until is None and license_type.validity_years:
            valid_until = _add_years(valid_from, license_type.validity_years)
        if valid_until is not None:
            valid_until = valid_until.replace(microsecond=0)
        number = draft.number or _format_number(license_type, next(seqs), valid_from.year)
        document = credentials.license_document(
            number=number,
            type_code=license_type.code,
            type_name=license_type.name,
            holder_kind=license_type.holder_kind,
            department_code=department.code,
            department_name=department.name,
            fields=draft.fields,
            valid_from=valid_from,
            valid_until=valid_until,
            list_no=list_no,
            index=index,
        )
        holder_user = draft.holder if isinstance(draft.holder, User) else None
        holder_enterprise = draft.holder if isinstance(draft.holder, Enterprise) else None
        built.append(
            License(
                license_type=license_type,
                number=number,
                holder_user=holder_user,
                holder_enterprise=holder_enterprise,
                subject=draft.fields,
                issued_at=now,
                valid_from=valid_from,
                valid_until=valid_until,
                status=LicenseStatus.ACTIVE,
                status_list_no=list_no,
                status_index=index,
                credential=credentials.sign(document, key, created=now),
                case_ref=draft.case_ref,
            )
        )
    return built


def _holder_user_id(item: License) -> int | None:
    if item.holder_user_id is not None:
        return int(item.holder_user_id)
    if item.holder_enterprise is not None:
        return int(item.holder_enterprise.legal_representative_id)
    return None


def license_issue(
    *,
    license_type: LicenseType | str,
    holder: Holder,
    fields: dict[str, Any],
    case_ref: str = "",
    actor: User | None,
) -> License:
    """Issue and sign one license. ``actor`` must be staff of the issuing department; ``actor=None`` is the
    system issuing for an approved case and then needs ``case_ref`` (the case number)."""
    kind = _resolve_type(license_type)
    if actor is None and not case_ref:
        raise PermissionDenied(_("Only staff of the issuing department may do this."))
    _require_issuer_staff(actor, kind)
    _check_holder(kind, holder)
    problems = check_fields(kind.field_schema, fields)
    if problems:
        raise DomainError(_("Some fields need attention."), fields=problems)
    now = timezone.now()
    with transaction.atomic():
        (item,) = _build(kind, [_Draft(holder=holder, fields=fields, case_ref=case_ref)], now=now)
        item.save()
        LicenseUse.objects.create(
            license=item, kind=LicenseUse.Kind.ISSUED, actor=actor, actor_label=_label(actor), case_ref=case_ref
        )
        record_audit(
            actor=actor,
            action="license.issued",
            object_type="license",
            object_id=item.pk,
            after={"number": item.number, "type": kind.code, "case_ref": case_ref},
            region_code=kind.issuing_department.region_id or "",
        )
        recipient = _holder_user_id(item)
        if recipient is not None:
            notify(
                recipient_id=recipient,
                subject=_("A new e-license: %(name)s") % {"name": kind.name},
                body=_("License %(number)s is in your wallet.") % {"number": item.number},
                link=f"/licenses/wallet/{item.number}/",
                topic="license",
            )
    log_event(logger, "license_issued", license_id=item.pk, type=kind.code)
    return item


@dataclass
class ImportReport:
    total: int = 0
    issued: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)  # failed rows only: {"row": n, "errors": {...}}

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "issued": self.issued, "failed": len(self.rows), "errors": self.rows}


def _parse_moment(text: Any) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(str(text))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def license_import(
    *,
    license_type: LicenseType | str,
    rows: Iterable[dict[str, Any]],
    actor: User | None,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Bulk issuance of existing (paper) licenses. Each row: ``holder`` (username, or credit code for
    enterprises), the type's fields, and optional ``number``, ``valid_from``, ``valid_until``, ``case_ref``.
    Good rows are issued in batches (one transaction and one audit event per batch); bad rows are reported."""
    kind = _resolve_type(license_type)
    _require_issuer_staff(actor, kind)  # None: an operator at the server console (tongban license import)
    report = ImportReport()
    batch: list[tuple[int, dict[str, Any]]] = []
    for n, row in enumerate(rows, start=1):
        report.total += 1
        batch.append((n, row))
        if len(batch) >= batch_size:
            _import_batch(kind, batch, actor, report)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _import_batch(kind, batch, actor, report)
        if progress:
            progress(len(batch))
    log_event(logger, "licenses_imported", type=kind.code, issued=report.issued, failed=len(report.rows))
    return report


_RESERVED = {"holder", "number", "valid_from", "valid_until", "case_ref"}


def _import_batch(
    kind: LicenseType, batch: list[tuple[int, dict[str, Any]]], actor: User | None, report: ImportReport
) -> None:
    keys = {str(row.get("holder", "")).strip() for _n, row in batch}
    if kind.holder_kind == HolderKind.ENTERPRISE:
        holders: dict[str, Holder] = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=keys)}
    else:
        holders = {u.get_username(): u for u in User.objects.filter(username__in=keys)}
    numbers = [str(row["number"]) for _n, row in batch if row.get("number")]
    taken = set(License.objects.filter(number__in=numbers).values_list("number", flat=True))
    drafts: list[_Draft] = []
    seen: set[str] = set()
    for n, row in batch:
        fields = {k: v for k, v in row.items() if k not in _RESERVED and v not in (None, "")}
        errors = check_fields(kind.field_schema, fields)
        holder = holders.get(str(row.get("holder", "")).strip())
        if holder is None:
            errors["holder"] = _("no such holder")
        number = str(row.get("number") or "")
        if number and (number in taken or number in seen):
            errors["number"] = _("number already used")
        try:
            valid_from, valid_until = _parse_moment(row.get("valid_from")), _parse_moment(row.get("valid_until"))
        except ValueError:
            errors["valid_from"] = _("not a date")
            valid_from = valid_until = None
        if errors or holder is None:
            report.rows.append({"row": n, "errors": errors})
            continue
        seen.add(number)
        drafts.append(
            _Draft(
                holder=holder,
                fields=fields,
                case_ref=str(row.get("case_ref") or ""),
                number=number,
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )
    if not drafts:
        return
    with transaction.atomic():
        built = _build(kind, drafts, now=timezone.now())
        License.objects.bulk_create(built, batch_size=500)
        record_audit(
            actor=actor,
            action="license.imported",
            object_type="license_type",
            object_id=kind.code,
            after={"count": len(built), "first": built[0].number, "last": built[-1].number},
            region_code=kind.issuing_department.region_id or "",
        )
    report.issued += len(built)


def _label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


# --- status ---------------------------------------------------------------------------------------------------


def _flip(item: License, purpose: str, value: bool) -> None:
    row = StatusList.objects.select_for_update().get(purpose=purpose, list_no=item.status_list_no)
    row.bits = set_bit(bytes(row.bits), item.status_index, value)
    row.version += 1
    row.save(update_fields=["bits", "version"])


def _change_status(
    *, license: License | int, actor: User | None, reason: str, to: str, allowed_from: set[str]
) -> License:
    with transaction.atomic():
        item = (
            License.objects.select_for_update()
            .select_related("license_type__issuing_department")
            .filter(pk=license.pk if isinstance(license, License) else license)
            .first()
        )
        if item is None:
            raise NotFound(_("No such license."))
        _require_issuer_staff(actor, item.license_type)
        if item.status not in allowed_from:
            raise DomainError(
                _("A license that is %(status)s cannot be changed like this.") % {"status": item.get_status_display()},
                fields={"status": item.status},
            )
        before = item.status
        if to == LicenseStatus.REVOKED:
            _flip(item, StatusPurpose.REVOCATION, True)
            if before == LicenseStatus.SUSPENDED:
                _flip(item, StatusPurpose.SUSPENSION, False)
        elif to == LicenseStatus.SUSPENDED:
            _flip(item, StatusPurpose.SUSPENSION, True)
        else:
            _flip(item, StatusPurpose.SUSPENSION, False)
        item.status = to
        item.save(update_fields=["status"])
        LicenseUse.objects.create(
            license=item, kind=LicenseUse.Kind.STATUS, actor=actor, actor_label=_label(actor), detail=to
        )
        record_audit(
            actor=actor,
            action=f"license.{to}" if to != LicenseStatus.ACTIVE else "license.reinstated",
            object_type="license",
            object_id=item.pk,
            before={"status": before},
            after={"status": to, "reason": reason[:200]},
            region_code=item.license_type.issuing_department.region_id or "",
        )
        recipient = _holder_user_id(item)
        if recipient is not None:
            notify(
                recipient_id=recipient,
                subject=_("License %(number)s is now %(status)s")
                % {"number": item.number, "status": item.get_status_display()},
                body=reason[:500],
                link=f"/licenses/wallet/{item.number}/",
                topic="license",
            )
    log_event(logger, "license_status_changed", license_id=item.pk, status=to)
    return item


def license_revoke(*, license: License | int, actor: User | None, reason: str) -> License:
    """Revoke for good (e.g. a failed 事后核查). Verification then fails with "revoked"."""
    return _change_status(
        license=license,
        actor=actor,
        reason=reason,
        to=LicenseStatus.REVOKED,
        allowed_from={LicenseStatus.ACTIVE, LicenseStatus.SUSPENDED, LicenseStatus.EXPIRED},
    )


def license_suspend(*, license: License | int, actor: User | None, reason: str) -> License:
    return _change_status(
        license=license, actor=actor, reason=reason, to=LicenseStatus.SUSPENDED, allowed_from={LicenseStatus.ACTIVE}
    )


def license_reinstate(*, license: License | int, actor: User | None, reason: str) -> License:
    return _change_status(
        license=license, actor=actor, reason=reason, to=LicenseStatus.ACTIVE, allowed_from={LicenseStatus.SUSPENDED}
    )


def status_list_credential(purpose: str, list_no: int) -> dict[str, Any] | None:
    """The signed Bitstring Status List credential, re-signed only when the list changed."""
    row = StatusList.objects.filter(purpose=purpose, list_no=list_no).first()
    if row is None:
        return None
    if row.credential is not None and row.credential_version == row.version:
        return dict(row.credential)
    now = timezone.now()
    document = status_list_document(
        purpose=purpose, list_no=list_no, bits=bytes(row.bits), issuer=issuer_did(), valid_from=credentials.iso(now)
    )
    signed = credentials.sign(document, active_key(), created=now)
    StatusList.objects.filter(pk=row.pk, version=row.version).update(credential=signed, credential_version=row.version)
    return signed


# --- uses -----------------------------------------------------------------------------------------------------


def license_use_record(
    *,
    license: License,
    kind: str,
    actor: User | None = None,
    actor_label: str = "",
    case_ref: str = "",
    shared_with: str = "",
) -> LicenseUse:
    """Append to the holder-visible usage log (verified by whom, attached to which case, shown to whom)."""
    return LicenseUse.objects.create(
        license=license,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor_label or (actor.get_username() if actor is not None and actor.is_authenticated else ""))[
            :200
        ],
        case_ref=case_ref[:64],
        shared_with=shared_with[:200],
    )


def license_attach(*, license: License, case_ref: str, actor: User | None) -> LicenseUse:
    """Cases calls this when a held license replaces a material (trust level A)."""
    return license_use_record(license=license, kind=LicenseUse.Kind.ATTACHED, actor=actor, case_ref=case_ref)


# --- reminders ------------------------------------------------------------------------------------------------


def license_expiry_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Idempotent: marks past-due licenses expired and reminds holders once, 30 days before expiry."""
    moment = now or timezone.now()
    expired = License.objects.filter(status=LicenseStatus.ACTIVE, valid_until__lt=moment).update(
        status=LicenseStatus.EXPIRED
    )
    horizon = moment + timedelta(days=settings.LICENSE_REMINDER_DAYS)
    reminded = 0
    due = (
        License.objects.filter(
            status=LicenseStatus.ACTIVE, valid_until__gte=moment, valid_until__lte=horizon, reminded_at__isnull=True
        )
        .select_related("license_type", "holder_enterprise")
        .order_by("pk")[:5000]
    )
    for item in due:
        with transaction.atomic():
            if License.objects.filter(pk=item.pk, reminded_at__isnull=True).update(reminded_at=moment) != 1:
                continue
            recipient = _holder_user_id(item)
            if recipient is not None and item.valid_until is not None:
                notify(
                    recipient_id=recipient,
                    subject=_("Your license %(name)s expires soon") % {"name": item.license_type.name},
                    body=_("License %(number)s expires on %(date)s.")
                    % {"number": item.number, "date": timezone.localtime(item.valid_until).date().isoformat()},
                    link=f"/licenses/wallet/{item.number}/",
                    topic="license",
                )
            reminded += 1
    log_event(logger, "license_expiry_sweep", expired=expired, reminded=reminded)
    return {"expired": expired, "reminded": reminded}
