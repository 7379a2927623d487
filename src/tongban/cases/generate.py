"""Realistic case volumes for benchmarks: ``tongban demo generate --cases 1000000``.

A bulk path, not the services: rows are built in memory in batches (with due dates computed on the official
calendar) and inserted with ``bulk_create``, so a million cases take minutes. Generated cases get their
history rows (submitted, accepted) but no audit events or messages: they record no real act.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from rich.progress import Progress

from tongban.cases.history import case_number
from tongban.cases.models import Case, CaseEvent, CaseNumberSequence, ItemSnapshot, Outcome, Stage
from tongban.cases.sweeps import warning_for
from tongban.cases.workflow import DEFAULT_PLAN
from tongban.catalog.public import ItemInfo, index_documents, items_info
from tongban.identity.public import Department, User
from tongban.workcalendar.public import WorkCalendar, add_working_days, load_calendar

BATCH = 5_000
# Where open and closed cases stand (weights), roughly like a live service centre.
STAGES = {
    Stage.SUBMITTED: 12, Stage.HANDLING: 30, Stage.REVIEW: 12, Stage.APPROVAL: 8, Stage.SUPPLEMENT: 4,
    Stage.SUSPENDED: 2, Stage.CLOSED: 32,
}  # fmt: skip
APPLICANTS = 5_000


def _items() -> list[tuple[ItemInfo, int]]:
    """Published items whose department exists, with that department's id."""
    codes = [doc.code for doc in index_documents()]
    departments = dict(Department.objects.values_list("code", "pk"))
    found = []
    for start in range(0, len(codes), 500):
        for info in items_info(codes=codes[start : start + 500]).values():
            if info.department_code in departments:
                found.append((info, departments[info.department_code]))
    return found


def _applicants(rng: random.Random) -> list[int]:
    existing = list(User.objects.filter(username__startswith="gen-applicant-").values_list("pk", flat=True))
    if len(existing) < APPLICANTS:
        unusable = make_password(None)
        User.objects.bulk_create(
            [User(username=f"gen-applicant-{n:05d}", password=unusable, first_name="演示申请人")
             for n in range(len(existing), APPLICANTS)],
            batch_size=BATCH,
        )  # fmt: skip
        existing = list(User.objects.filter(username__startswith="gen-applicant-").values_list("pk", flat=True))
    rng.shuffle(existing)
    return existing


def _snapshots(items: list[tuple[ItemInfo, int]]) -> dict[tuple[str, int], int]:
    rows = []
    for info, _department in items:
        data = asdict(info)
        data["materials"] = [asdict(m) for m in info.materials]
        rows.append(ItemSnapshot(item_code=info.code, version=info.version_number, data=data))
    ItemSnapshot.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return {(s.item_code, s.version): s.pk for s in ItemSnapshot.objects.only("item_code", "version")}


def _due(start: date, days: int | None, unit: str, calendar: WorkCalendar) -> tuple[date | None, bool]:
    if days is None:
        return None, False
    if unit == "natural":
        return start + timedelta(days=days), False
    due = add_working_days(start, days, calendar)
    return due.due, due.provisional


def _cases(count: int, seed: int, sequence: Counter[tuple[str, date]]) -> Iterator[tuple[Case, list[CaseEvent]]]:
    rng = random.Random(seed)  # noqa: S311  # reproducible demo volumes, not secrets
    items, applicants, calendar = _items(), _applicants(rng), load_calendar()
    if not items:
        raise RuntimeError("no published items with departments: import the catalog first (tongban catalog import)")
    snapshots = _snapshots(items)
    zone, today = ZoneInfo(settings.TIME_ZONE), timezone.localdate()
    stages, weights = list(STAGES), list(accumulate(STAGES.values()))
    plan = [str(stage) for stage in DEFAULT_PLAN]
    # Busy items get most cases (a long tail, as in real service centres).
    popularity = list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(items))))
    for n in range(count):
        info, department_id = rng.choices(items, cum_weights=popularity)[0]
        submitted_on = today - timedelta(days=rng.randint(0, 180))
        submitted_at = datetime.combine(submitted_on, clock_time(rng.randint(8, 17), rng.randint(0, 59)), zone)
        stage = rng.choices(stages, cum_weights=weights)[0]
        sequence[(info.region_code, submitted_on)] += 1
        number = case_number(info.region_code, submitted_on, 0, sequence[(info.region_code, submitted_on)])
        case = Case(
            number=number, region_code=info.region_code, item_code=info.code, item_version=info.version_number,
            item_name=info.name[:300], snapshot_id=snapshots[(info.code, info.version_number)],
            department_id=department_id, applicant_id=applicants[n % len(applicants)],
            submitted_by_id=applicants[n % len(applicants)], stage=stage, stage_plan=[] if info.is_immediate else plan,
            submitted_at=submitted_at, form_data={"说明": "演示申请"},
        )  # fmt: skip
        events = [
            CaseEvent(at=submitted_at, role="applicant", action="submit", from_stage="draft", to_stage="submitted")
        ]
        if stage != Stage.SUBMITTED:
            accepted = add_working_days(submitted_on, rng.randint(0, 2), calendar).due
            case.accepted_on = accepted
            case.statutory_due, statutory_flag = _due(
                accepted, info.statutory_limit_days, info.statutory_limit_unit, calendar
            )
            case.promised_due, promised_flag = _due(
                accepted, info.promised_limit_days, info.promised_limit_unit, calendar
            )
            case.due_provisional = statutory_flag or promised_flag
            case.due = case.promised_due or case.statutory_due
            events.append(CaseEvent(at=datetime.combine(accepted, clock_time(9), zone), role="handler", action="accept",
                                    from_stage="submitted", to_stage="handling"))  # fmt: skip
        if stage == Stage.CLOSED:
            case.outcome = rng.choices([Outcome.APPROVED, Outcome.DENIED, Outcome.WITHDRAWN], [90, 6, 4])[0]
            case.closed_at = submitted_at + timedelta(days=rng.randint(1, 20))
        else:
            case.warning = warning_for(case.due, today)
        yield case, events


def generate_cases(*, count: int, seed: int = 20261122) -> dict[str, object]:
    started = time.perf_counter()
    made = 0
    batch: list[tuple[Case, list[CaseEvent]]] = []
    # Continue lane 0 of the daily counters where earlier submissions (or runs) left it: numbers never collide.
    sequence: Counter[tuple[str, date]] = Counter(
        {
            (region, day): last
            for region, day, last in CaseNumberSequence.objects.filter(lane=0).values_list("region_code", "day", "last")
        }
    )
    with Progress() as progress:
        bar = progress.add_task("cases", total=count)
        for row in _cases(count, seed, sequence):
            batch.append(row)
            if len(batch) == BATCH:
                made += _flush(batch)
                progress.advance(bar, BATCH)
                batch = []
        made += _flush(batch)
        progress.update(bar, completed=count)
    _save_sequences(sequence)
    return {"cases": made, "seconds": round(time.perf_counter() - started, 1)}


def _flush(batch: list[tuple[Case, list[CaseEvent]]]) -> int:
    if not batch:
        return 0
    if connection.vendor == "postgresql":
        return _copy(batch)
    with transaction.atomic():
        cases = Case.objects.bulk_create([case for case, _events in batch])
        events: list[CaseEvent] = []
        for case, case_events in zip(cases, (e for _c, e in batch), strict=True):
            for event in case_events:
                event.case_id = case.pk
                events.append(event)
        CaseEvent.objects.bulk_create(events)
    return len(cases)


def _save_sequences(sequence: Counter[tuple[str, date]]) -> None:
    """Keep lane 0 of the daily counters at the generated numbers so later real submissions continue after
    them (generated numbers all come from lane 0)."""
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(region_code=region, day=day, last=last) for (region, day), last in sequence.items()],
        update_conflicts=True, unique_fields=["region_code", "day", "lane"], update_fields=["last"],
        batch_size=BATCH,
    )  # fmt: skip


def _columns(model: type[Case] | type[CaseEvent], *, with_id: bool) -> list[tuple[str, str]]:
    """(column, attribute) of every stored field, read from the model so a new column is never left out."""
    return [(f.column, f.attname) for f in model._meta.concrete_fields if with_id or not f.primary_key]


def _copy_statement(model: type[Case] | type[CaseEvent], columns: list[tuple[str, str]]) -> str:
    return f"COPY {model._meta.db_table} ({', '.join(column for column, _attribute in columns)}) FROM STDIN"


def _reserve_ids(model: type[Case], count: int) -> range:
    """Take ``count`` consecutive ids from the table's sequence in one statement (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def _copy(batch: list[tuple[Case, list[CaseEvent]]]) -> int:
    """PostgreSQL bulk path: COPY is an order of magnitude faster than INSERTs built by the ORM."""
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        ids = _reserve_ids(Case, len(batch))
        raw = cursor.cursor  # the psycopg cursor, for COPY
        case_columns, event_columns = _columns(Case, with_id=True), _columns(CaseEvent, with_id=False)
        with raw.copy(_copy_statement(Case, case_columns)) as copy:
            for case_id, (case, _events) in zip(ids, batch, strict=True):
                case.id, case.created_at, case.updated_at = case_id, case.submitted_at or now, now
                copy.write_row([_copy_value(getattr(case, attribute)) for _c, attribute in case_columns])
        with raw.copy(_copy_statement(CaseEvent, event_columns)) as copy:
            for case_id, (_case, events) in zip(ids, batch, strict=True):
                for event in events:
                    event.case_id = case_id
                    copy.write_row([_copy_value(getattr(event, attribute)) for _c, attribute in event_columns])
    return len(batch)


def _copy_value(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
