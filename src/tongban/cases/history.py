"""The traces every change of a case leaves, shared by the writing modules of cases (services, bundles,
aftercare): the case number, the append-only history line, the audit event, the applicant's message."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from tongban.cases import dates
from tongban.cases.models import Case, CaseEvent, CaseNumberSequence
from tongban.common.public import insert_rows, notify, record_audit
from tongban.identity.public import User


def next_case_number(region_code: str, day: date) -> str:
    """``<region>-<yyyymmdd>-<nnnnnn>``: unique across the deployment, without gaps. One statement creates
    or increments the per-region daily counter row and returns the new value; the row stays locked until
    the submitting transaction ends, so it is taken late in that transaction."""
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    with connection.cursor() as cursor:  # INSERT … ON CONFLICT … RETURNING: PostgreSQL, and SQLite ≥ 3.35
        cursor.execute(
            f"INSERT INTO {table} (region_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608  # our table name
            f"ON CONFLICT (region_code, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [region_code, day],
        )
        (last,) = cursor.fetchone()
    return f"{region_code}-{day:%Y%m%d}-{last:06d}"


def append_history(
    case: Case,
    actor: User | None,
    role: str,
    action: str,
    from_stage: str,
    to_stage: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    event = history_line(case, actor, role, action, from_stage, to_stage, comment, data)
    insert_rows([event])
    return event


def history_line(
    case: Case,
    actor: User | None,
    role: str,
    action: str,
    from_stage: str,
    to_stage: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """A history line, not yet saved (to write several with one INSERT)."""
    return CaseEvent(
        case=case,
        at=dates.now(),
        actor=actor,
        role=str(role),
        action=action,
        from_stage=str(from_stage),
        to_stage=str(to_stage),
        comment=comment,
        data=data or {},
    )


def audit_case(
    case: Case, actor: User | None, action: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    record_audit(
        actor=actor,
        action=action,
        object_type="case",
        object_id=case.pk,
        before=before,
        after=after,
        region_code=case.region_code,
    )


def tell_applicant(case: Case, subject: str, body: str) -> None:
    notify(
        recipient_id=case.applicant_id,
        subject=subject,
        body=body,
        link=f"/cases/{case.pk}/",
        topic=f"case:{case.number or case.pk}",
    )
