"""Supervision figures (效能监督): per-department performance for a month, warning lights and overdue cases.

Counts are single aggregate queries over indexed columns; only the month's completed cases are read row by
row, to count their handling time in working days on the official calendar.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import mean
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from tongban.cases.public import OPEN_STAGES, Case, Outcome, Warning
from tongban.common.public import PermissionDenied
from tongban.identity.public import Department, StaffRole, User, staff_scope
from tongban.ratings.public import Rating, RectificationTicket, TicketState
from tongban.workcalendar.public import load_calendar, working_days_between


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, default: date) -> Month:
        try:
            year, month = (int(part) for part in text.split("-", 1))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(default.year, default.month)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(settings.TIME_ZONE)
        last = month_calendar.monthrange(self.year, self.month)[1]
        return (
            datetime.combine(date(self.year, self.month, 1), time.min, zone),
            datetime.combine(date(self.year, self.month, last), time.max, zone),
        )

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass
class Figures:
    department_id: int | None
    name: str
    received: int = 0
    completed: int = 0
    approved: int = 0
    on_time: int = 0
    online: int = 0
    window: int = 0
    average_working_days: float | None = None
    average_promised_days: float | None = None
    ratings: int = 0
    satisfied: int = 0
    average_level: float | None = None
    tickets: int = 0
    tickets_on_time: int = 0
    lights: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.completed, 1) if self.completed else None

    @property
    def online_share(self) -> float | None:
        return round(100 * self.online / self.received, 1) if self.received else None

    @property
    def satisfaction(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None

    @property
    def tickets_on_time_rate(self) -> float | None:
        return round(100 * self.tickets_on_time / self.tickets, 1) if self.tickets else None


def supervisable_departments(user: User | AnonymousUser) -> list[Department]:
    """Departments a supervisor (or administrator) may watch; others get none."""
    if isinstance(user, AnonymousUser) or not user.is_staff:
        return []
    scope = staff_scope(user)
    if scope.everything:
        return list(Department.objects.order_by("name"))
    if StaffRole.SUPERVISOR not in scope.roles:
        return []
    return list(Department.objects.filter(pk__in=scope.department_ids).order_by("name"))


def department_figures(user: User | AnonymousUser, department_id: int, month: Month) -> Figures:
    department = next((d for d in supervisable_departments(user) if d.pk == department_id), None)
    if department is None:
        raise PermissionDenied(_("You do not supervise this department."))
    return figures_for(Case.objects.filter(department_id=department.pk), month, department.pk, department.name)


def figures_for(base: QuerySet[Case], month: Month, department_id: int | None, name: str) -> Figures:
    start, end = month.bounds
    figures = Figures(department_id, name)
    received = base.filter(submitted_at__range=(start, end)).aggregate(
        received=Count("id"),
        online=Count("id", filter=Q(channel="online")),
        window=Count("id", filter=Q(channel="window")),
    )
    figures.received, figures.online, figures.window = received["received"], received["online"], received["window"]
    closed = base.filter(closed_at__range=(start, end)).exclude(outcome=Outcome.WITHDRAWN)
    done = closed.aggregate(
        completed=Count("id"),
        approved=Count("id", filter=Q(outcome=Outcome.APPROVED)),
        on_time=Count("id", filter=Q(due__isnull=True) | Q(closed_at__date__lte=F("due"))),
    )
    figures.completed, figures.approved, figures.on_time = done["completed"], done["approved"], done["on_time"]
    figures.average_working_days, figures.average_promised_days = _handling_days(closed)
    lights = base.filter(stage__in=OPEN_STAGES).values("warning").annotate(n=Count("id"))
    figures.lights = {row["warning"] or Warning.NONE: row["n"] for row in lights}
    ratings = Rating.objects.filter(created_at__range=(start, end), excluded=False)
    tickets = RectificationTicket.objects.filter(opened_on__range=(start.date(), end.date()))
    if department_id is not None:
        ratings, tickets = ratings.filter(department_id=department_id), tickets.filter(department_id=department_id)
    rated = ratings.aggregate(n=Count("id"), good=Count("id", filter=Q(level__gte=3)), avg=Avg("level"))
    figures.ratings, figures.satisfied = rated["n"], rated["good"]
    figures.average_level = round(rated["avg"], 2) if rated["avg"] is not None else None
    finished = (TicketState.RESOLVED, TicketState.EXPLAINED, TicketState.CONFIRMED)
    handled = tickets.aggregate(
        n=Count("id"),
        on_time=Count("id", filter=Q(state__in=finished, resolved_at__date__lte=F("rectify_due"))),
    )
    figures.tickets, figures.tickets_on_time = handled["n"], handled["on_time"]
    return figures


def _handling_days(closed: QuerySet[Case]) -> tuple[float | None, float | None]:
    """Average working days from acceptance to completion, and the average promised limit, for the month."""
    calendar = load_calendar()
    rows = closed.filter(accepted_on__isnull=False).values_list(
        "accepted_on", "closed_at", "suspended_days", "snapshot__data__promised_limit_days"
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    spent, promised = [], []
    for accepted, closed_at, suspended, limit in rows.iterator(chunk_size=2000):
        if accepted is None or closed_at is None:
            continue
        spent.append(working_days_between(accepted, closed_at.astimezone(zone).date(), calendar).days - suspended)
        if limit is not None:
            promised.append(int(limit))
    return (round(mean(spent), 1) if spent else None, round(mean(promised), 1) if promised else None)


def overdue_cases(user: User | AnonymousUser, department_id: int, limit: int = 50) -> list[Case]:
    if not any(d.pk == department_id for d in supervisable_departments(user)):
        raise PermissionDenied(_("You do not supervise this department."))
    late = Case.objects.filter(department_id=department_id, stage__in=OPEN_STAGES, warning=Warning.RED)
    return list(late.order_by("due", "id")[:limit])


def public_report(month: Month) -> list[Figures]:
    """Aggregates per department for the public monthly report: no case, no person, only counts."""
    start, end = month.bounds
    active = (
        Case.objects.filter(Q(submitted_at__range=(start, end)) | Q(closed_at__range=(start, end)))
        .values_list("department_id", flat=True)
        .distinct()
    )
    departments = Department.objects.filter(pk__in=active).order_by("name")
    return [figures_for(Case.objects.filter(department_id=d.pk), month, d.pk, d.name) for d in departments]
