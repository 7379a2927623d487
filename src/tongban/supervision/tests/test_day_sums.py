"""The stored day sums plus the live delta give exactly the figures counted straight from the case rows."""

from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from tongban.cases import generate
from tongban.cases.models import OPEN_STAGES, Case, Outcome, Stage
from tongban.cases.tests.factories import office
from tongban.supervision.models import DepartmentDay
from tongban.supervision.selectors import Month, figures_for, lights, month_sums, warning_thresholds
from tongban.supervision.services import refresh_department_days
from tongban.workcalendar.models import CalendarDay
from tongban.workcalendar.public import load_calendar, working_days_between
from tongban.workcalendar.selectors import forget_cached_calendar

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
FIELDS = ("received", "online", "window", "completed", "approved", "on_time", "average_working_days",
          "average_promised_days")  # fmt: skip


def straight(department_id: int, month: Month) -> dict[str, object]:
    """The figures the simple way: every case row of the month read and counted."""
    start, end = month.bounds
    base = Case.objects.filter(department_id=department_id)
    received = base.filter(submitted_at__range=(start, end))
    closed = base.filter(closed_at__range=(start, end)).exclude(outcome=Outcome.WITHDRAWN)
    calendar, spent, promised = load_calendar(), [], []
    for case in closed.filter(accepted_on__isnull=False).select_related("snapshot"):
        assert case.accepted_on is not None and case.closed_at is not None
        closed_on = case.closed_at.astimezone(ZONE).date()
        spent.append(working_days_between(case.accepted_on, closed_on, calendar).days - case.suspended_days)
        if case.snapshot.data.get("promised_limit_days") is not None:
            promised.append(int(case.snapshot.data["promised_limit_days"]))
    return {
        "received": received.count(),
        "online": received.filter(channel="online").count(),
        "window": received.filter(channel="window").count(),
        "completed": closed.count(),
        "approved": closed.filter(outcome=Outcome.APPROVED).count(),
        "on_time": closed.filter(Q(due__isnull=True) | Q(closed_at__date__lte=F("due"))).count(),
        "average_working_days": round(mean(spent), 1) if spent else None,
        "average_promised_days": round(mean(promised), 1) if promised else None,
    }


def months_around(today: date) -> list[Month]:
    months, day = [], today + timedelta(days=31)
    while day > today - timedelta(days=200):
        months.append(Month(day.year, day.month))
        day = day.replace(day=1) - timedelta(days=1)
    return months


def assert_same_as_straight(departments: list[int], today: date) -> None:
    for month in months_around(today):
        for department in departments:
            figures = figures_for(department, "", month)
            assert {name: getattr(figures, name) for name in FIELDS} == straight(department, month), (month, department)


@pytest.fixture
def generated():
    departments = [office(promised=promised).department.pk for promised in (5, 12, None)]
    generate.generate_cases(count=600, seed=7)
    today = timezone.localdate()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    # What the generator does not make: window submissions, suspensions, cases received and closed today
    # (also right after midnight), a case without a deadline.
    Case.objects.filter(pk__in=ids[::7]).update(channel="window")
    Case.objects.filter(pk__in=ids[::11], stage=Stage.CLOSED).update(suspended_days=3)
    Case.objects.filter(pk__in=ids[:5]).update(submitted_at=datetime.combine(today, time(0, 0, 1), ZONE))
    Case.objects.filter(pk__in=ids[5:10], stage=Stage.CLOSED).update(
        closed_at=datetime.combine(today, time(0, 0, 1), ZONE), outcome=Outcome.APPROVED
    )
    Case.objects.filter(pk__in=ids[10:12], stage=Stage.CLOSED).update(due=None)
    return departments, today


def test_stored_sums_and_live_delta_match_the_case_rows(generated):
    departments, today = generated
    assert set(Case.objects.values_list("department_id", flat=True)) == set(departments)
    assert_same_as_straight(departments, today)  # nothing stored yet: all live

    result = refresh_department_days(today - timedelta(days=40))  # stored up to 41 days ago, live after
    assert result["rebuild"] and DepartmentDay.objects.exists()
    assert_same_as_straight(departments, today)

    assert not refresh_department_days(today)["rebuild"]  # catches up; recounts the overlap days
    assert not refresh_department_days(today)["rebuild"]  # and again: idempotent
    assert_same_as_straight(departments, today)
    stored = DepartmentDay.objects.filter(day=today - timedelta(days=3)).values("department_id").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in stored)


def test_a_changed_calendar_is_not_counted_with_stale_sums(generated):
    departments, today = generated
    refresh_department_days(today)
    busy = next(
        day for day in (today - timedelta(days=n) for n in range(10, 200)) if day.weekday() < 5
    )  # a working day inside the stored range becomes a holiday
    CalendarDay.objects.update_or_create(date=busy, defaults={"is_workday": False, "name": "调休"})
    forget_cached_calendar()
    assert_same_as_straight(departments, today)  # the page ignores sums counted under the old calendar
    assert refresh_department_days(today)["rebuild"]
    assert_same_as_straight(departments, today)


def test_lights_follow_the_due_dates_of_open_cases(generated):
    departments, today = generated
    red_until, yellow_until = warning_thresholds(today)
    for department in departments:
        open_cases = Case.objects.filter(department_id=department, stage__in=OPEN_STAGES)
        expected = {
            "red": open_cases.filter(due__lte=red_until).count(),
            "yellow": open_cases.filter(due__gt=red_until, due__lte=yellow_until).count(),
            "green": open_cases.filter(due__gt=yellow_until).count(),
            "": open_cases.filter(due__isnull=True).count(),
        }
        assert lights(department, today) == {key: n for key, n in expected.items() if n}
    assert month_sums(Month(today.year, today.month))  # all departments at once, for the public report
