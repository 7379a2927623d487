"""The only writer of supervision's day sums: ``refresh_department_days``, run by the clock (see tongban.schedule).

Finished days do not change — a case is received once and completed once — except for commits that land
just after midnight and for a change of the working-day calendar. So each run recounts the last
``OVERLAP_DAYS`` finished days and any day never counted, and a changed calendar fingerprint recounts all.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from tongban.cases.public import Case, Outcome
from tongban.common.public import log_event
from tongban.supervision.models import DepartmentDay, RefreshState
from tongban.workcalendar.public import WorkCalendar, load_calendar, working_days_between

logger = logging.getLogger(__name__)
STATE = "department_days"
OVERLAP_DAYS = 2


@dataclass
class DaySums:
    """The additive figures of some cases: summing two of them sums the figures."""

    received: int = 0
    online: int = 0
    window: int = 0
    completed: int = 0
    approved: int = 0
    on_time: int = 0
    handled: int = 0
    handled_working_days: int = 0
    promised: int = 0
    promised_days: int = 0

    def add(self, other: DaySums | DepartmentDay) -> None:
        for name in SUM_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


SUM_FIELDS = tuple(f.name for f in fields(DaySums))


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time.min, zone()), datetime.combine(last, time.max, zone())


def count_days(
    first: date, last: date, calendar: WorkCalendar, department_id: int | None = None
) -> dict[tuple[int, date], DaySums]:
    """Count the cases received and completed on each local day of [first, last], per department.

    This is the one definition of the figures: the stored rows and the live delta both come from here.
    """
    start, end = day_bounds(first, last)
    cases = Case.objects.all() if department_id is None else Case.objects.filter(department_id=department_id)
    sums: dict[tuple[int, date], DaySums] = defaultdict(DaySums)
    received = (
        cases.filter(submitted_at__range=(start, end))
        .annotate(day=TruncDate("submitted_at", tzinfo=zone()))
        .values("department_id", "day")
        .annotate(n=Count("id"), online=Count("id", filter=Q(channel="online")),
                  window=Count("id", filter=Q(channel="window")))
        .order_by()
    )  # fmt: skip
    for row in received:
        day = sums[(row["department_id"], row["day"])]
        day.received, day.online, day.window = row["n"], row["online"], row["window"]
    closed = cases.filter(closed_at__range=(start, end)).exclude(outcome=Outcome.WITHDRAWN)
    done = (
        closed.annotate(day=TruncDate("closed_at", tzinfo=zone()))
        .values("department_id", "day")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(outcome=Outcome.APPROVED)),
                  on_time=Count("id", filter=Q(due__isnull=True) | Q(closed_at__date__lte=F("due"))))
        .order_by()
    )  # fmt: skip
    for row in done:
        day = sums[(row["department_id"], row["day"])]
        day.completed, day.approved, day.on_time = row["n"], row["approved"], row["on_time"]
    handled = closed.filter(accepted_on__isnull=False).values_list(
        "department_id", "accepted_on", "closed_at", "suspended_days", "snapshot__data__promised_limit_days"
    )
    local = zone()
    for department, accepted, closed_at, suspended, limit in handled.iterator(chunk_size=5000):
        if accepted is None or closed_at is None:  # filtered out above; this tells the type checker
            continue
        closed_on = closed_at.astimezone(local).date()
        day = sums[(department, closed_on)]
        day.handled += 1
        day.handled_working_days += working_days_between(accepted, closed_on, calendar).days - suspended
        if limit is not None:
            day.promised += 1
            day.promised_days += int(limit)
    return sums


def calendar_fingerprint(calendar: WorkCalendar) -> str:
    text = repr((sorted(calendar.published_years), sorted(calendar.exceptions.items())))
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_department_days(today: date | None = None, *, full: bool = False) -> dict[str, object]:
    """Bring the stored day sums up to yesterday (local time). Safe to run at any time, and concurrently."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    fingerprint = calendar_fingerprint(calendar)
    last = today - timedelta(days=1)
    with transaction.atomic():
        state, _created = RefreshState.objects.select_for_update().get_or_create(name=STATE)
        through = None if full or state.calendar_fingerprint != fingerprint else state.through
        rebuild = through is None
        if through is None:
            earliest = Case.objects.aggregate(a=Min("submitted_at"), b=Min("closed_at"))
            moments = [m for m in (earliest["a"], earliest["b"]) if m is not None]
            first = min(moments).astimezone(zone()).date() if moments else today
            DepartmentDay.objects.all().delete()
        else:
            first = min(through + timedelta(days=1), today) - timedelta(days=OVERLAP_DAYS)
            DepartmentDay.objects.filter(day__gte=first).delete()
        rows = 0
        if first <= last:
            sums = count_days(first, last, calendar)
            DepartmentDay.objects.bulk_create(
                (DepartmentDay(department_id=department, day=day, **vars(figures))
                 for (department, day), figures in sums.items()),
                batch_size=2000,
            )  # fmt: skip
            rows = len(sums)
        state.through, state.calendar_fingerprint, state.refreshed_at = last, fingerprint, timezone.now()
        state.save()
    log_event(logger, "department_days_refreshed", first=first.isoformat(), through=last.isoformat(),
              rows=rows, rebuild=rebuild)  # fmt: skip
    return {"first": first.isoformat(), "through": last.isoformat(), "rows": rows, "rebuild": rebuild}
