"""The traces every change of a case leaves, shared by the writing modules of cases (services, bundles,
aftercare): the case number, the append-only history line, the audit event, the applicant's message."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from tongban.cases import dates
from tongban.cases.models import Case, CaseEvent, CaseNumberSequence
from tongban.common.public import insert_rows, kept_cursor, notify, record_audit
from tongban.identity.public import User

#: Lanes of the daily counter per region and day (ADR 0010). The lane is the first digit of a number's
#: sequence, so there are at most ten.
NUMBER_LANES = 10


def case_number(region_code: str, day: date, lane: int, count: int) -> str:
    """``<region>-<yyyymmdd>-<lane><count>``, the count in at least five digits. Lane 0 gives exactly the
    numbers of the single counter used before lanes (``…-000042``). The lane is one digit, so two different
    (lane, count) pairs never give the same number."""
    return f"{region_code}-{day:%Y%m%d}-{lane}{count:05d}"


def next_case_number(region_code: str, day: date) -> str:
    """The next case number of ``region_code`` on ``day``: unique across the deployment, and each lane of
    the day's counter gapless (a rolled-back submission gives its count back). The lane's row stays locked
    until the submitting transaction ends; a transaction that numbers again (a bundle) gets the same lane,
    since its own lock is not skipped."""
    return case_number(region_code, day, *_count_in_a_free_lane(region_code, day))


def _count_in_a_free_lane(region_code: str, day: date) -> tuple[int, int]:
    """(lane, count): increments the lowest lane of the day that no other open transaction holds, so
    concurrent submissions do not wait for each other; one at a time, every number comes from lane 0."""
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    cursor = kept_cursor()
    if connection.features.has_select_for_update_skip_locked:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE id = ("  # noqa: S608  # our table name
            f"SELECT id FROM {table} WHERE region_code = %s AND day = %s "
            f"ORDER BY lane LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING lane, last",
            [region_code, day],
        )
        free = cursor.fetchone()
        if free is not None:
            return int(free[0]), int(free[1])
        lane = _lane_to_open(cursor, table, region_code, day)
    else:
        lane = 0  # SQLite writes one transaction at a time: nobody else can hold a lane
    # INSERT … ON CONFLICT … RETURNING: PostgreSQL, and SQLite ≥ 3.35. Waits if another transaction holds
    # the lane (every lane busy, or a lane another transaction is creating right now).
    cursor.execute(
        f"INSERT INTO {table} (region_code, day, lane, last) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (region_code, day, lane) DO UPDATE SET last = {table}.last + 1 RETURNING lane, last",
        [region_code, day, lane],
    )
    (lane, last) = cursor.fetchone()
    return int(lane), int(last)


def _lane_to_open(cursor: CursorWrapper, table: str, region_code: str, day: date) -> int:
    """Every existing lane of the day is held (or there is none yet): the lowest lane not yet created, or,
    when all ten exist, any one of them to wait for."""
    cursor.execute(f"SELECT lane FROM {table} WHERE region_code = %s AND day = %s", [region_code, day])  # noqa: S608
    existing = {lane for (lane,) in cursor.fetchall()}
    unopened = [lane for lane in range(NUMBER_LANES) if lane not in existing]
    return unopened[0] if unopened else secrets.randbelow(NUMBER_LANES)


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
