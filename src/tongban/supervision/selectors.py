"""Supervision figures (效能监督): per-department performance for a month, warning lights and overdue cases.

A month's case figures are the stored per-day sums (``DepartmentDay``, kept by a periodic job) plus a live
count of the days since the last refresh; lights and the overdue list read only the (department, stage, due)
index. Ratings and tickets are small and counted directly.
"""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.cases.public import OPEN_STAGES, Case, Warning
from tongban.common.public import PermissionDenied
from tongban.identity.public import Department, StaffRole, User, staff_scope
from tongban.ratings.public import Rating, RectificationTicket, TicketState
from tongban.supervision.models import DepartmentDay, RefreshState
from tongban.supervision.services import STATE, SUM_FIELDS, DaySums, calendar_fingerprint, count_days
from tongban.workcalendar.public import add_working_days, current_calendar


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
    def days(self) -> tuple[date, date]:
        last = month_calendar.monthrange(self.year, self.month)[1]
        return date(self.year, self.month, 1), date(self.year, self.month, last)

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
    return figures_for(department.pk, department.name, month)


def figures_for(department_id: int, name: str, month: Month, sums: DaySums | None = None) -> Figures:
    figures = Figures(department_id, name)
    counted = month_sums(month, department_id).get(department_id, DaySums()) if sums is None else sums
    figures.received, figures.online, figures.window = counted.received, counted.online, counted.window
    figures.completed, figures.approved, figures.on_time = counted.completed, counted.approved, counted.on_time
    if counted.handled:
        figures.average_working_days = round(counted.handled_working_days / counted.handled, 1)
    if counted.promised:
        figures.average_promised_days = round(counted.promised_days / counted.promised, 1)
    figures.lights = lights(department_id)
    start, end = month.bounds
    ratings = Rating.objects.filter(created_at__range=(start, end), excluded=False, department_id=department_id)
    tickets = RectificationTicket.objects.filter(opened_on__range=(start.date(), end.date()),
                                                 department_id=department_id)  # fmt: skip
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


def month_sums(month: Month, department_id: int | None = None) -> dict[int, DaySums]:
    """The month's case figures per department: stored day sums for the days the refresh job has counted
    (under the calendar in force), plus a live count of the days after it — always including today."""
    first, last = month.days
    calendar = current_calendar()
    state = RefreshState.objects.filter(name=STATE).first()
    through = None
    if state is not None and state.calendar_fingerprint == calendar_fingerprint(calendar):
        through = state.through  # stored sums counted under another calendar are not used
    per_department: dict[int, DaySums] = defaultdict(DaySums)
    live_from = first
    if through is not None and through >= first:
        stored = DepartmentDay.objects.filter(day__range=(first, min(last, through)))
        if department_id is not None:
            stored = stored.filter(department_id=department_id)
        totals = stored.values("department_id").annotate(**{name: Sum(name) for name in SUM_FIELDS}).order_by()
        for row in totals:
            per_department[row["department_id"]].add(DaySums(**{name: row[name] for name in SUM_FIELDS}))
        live_from = through + timedelta(days=1)
    if live_from <= last:
        for (department, _day), figures in count_days(live_from, last, calendar, department_id).items():
            per_department[department].add(figures)
    return dict(per_department)


def lights(department_id: int, on: date | None = None) -> dict[str, int]:
    """Open cases by warning light as of today. The light follows from the due date alone (as the deadline
    sweep sets it), so this counts due dates on the (department, stage, due) index without reading cases."""
    red_until, yellow_until = warning_thresholds(on or today())
    open_cases = Case.objects.filter(department_id=department_id, stage__in=OPEN_STAGES)
    counts = open_cases.aggregate(
        red=Count("id", filter=Q(due__lte=red_until)),
        yellow=Count("id", filter=Q(due__gt=red_until, due__lte=yellow_until)),
        green=Count("id", filter=Q(due__gt=yellow_until)),
        none=Count("id", filter=Q(due__isnull=True)),
    )
    keyed = {Warning.RED: counts["red"], Warning.YELLOW: counts["yellow"], Warning.GREEN: counts["green"],
             Warning.NONE: counts["none"]}  # fmt: skip
    return {str(key): n for key, n in keyed.items() if n}


def warning_thresholds(on: date) -> tuple[date, date]:
    """(last due date that is red, last that is yellow): as ``tongban.cases.sweeps.thresholds``."""
    soon = add_working_days(on, settings.CASE_WARNING_DAYS, current_calendar()).due
    return on - timedelta(days=1), soon


def today() -> date:
    return timezone.localdate()


def overdue_cases(user: User | AnonymousUser, department_id: int, limit: int = 50) -> list[Case]:
    if not any(d.pk == department_id for d in supervisable_departments(user)):
        raise PermissionDenied(_("You do not supervise this department."))
    red_until, _yellow_until = warning_thresholds(today())
    late = Case.objects.filter(department_id=department_id, stage__in=OPEN_STAGES, due__lte=red_until)
    return list(late.order_by("due", "id")[:limit])


PUBLIC_REPORT_SECONDS = 3600


def public_report_cached(month: Month) -> list[Figures]:
    """:func:`public_report`, kept for an hour: the page and the API answer anyone without logging in."""
    key = f"supervision:public-report:{month}"
    rows: list[Figures] | None = cache.get(key)
    if rows is None:
        rows = public_report(month)
        cache.set(key, rows, PUBLIC_REPORT_SECONDS)
    return rows


def public_report(month: Month) -> list[Figures]:
    """Aggregates per department for the public monthly report: no case, no person, only counts."""
    sums = month_sums(month)
    active = [pk for pk, figures in sums.items() if figures.received or figures.completed]
    departments = Department.objects.filter(pk__in=active).order_by("name")
    return [figures_for(d.pk, d.name, month, sums[d.pk]) for d in departments]
