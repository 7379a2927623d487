"""The legal clock on the official 2024–2026 schedules (State Council notices, ../shared/data/holidays)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongban.workcalendar.clock import (
    ScheduleNotPublished,
    add_working_days,
    is_workday,
    remaining_working_days,
    working_days_between,
)
from tongban.workcalendar.tests.conftest import official_calendar

D = date.fromisoformat


def test_working_days_per_year_match_the_published_totals(calendar):
    # ../shared/data/README.md: 251 (2024), 248 (2025), 248 (2026).
    for year, total in ((2024, 251), (2025, 248), (2026, 248)):
        assert working_days_between(D(f"{year - 1}-12-31"), D(f"{year}-12-31"), calendar).days == total


def test_twenty_working_days_across_the_2026_spring_festival(calendar):
    # 02-14 (Sat) is a make-up working day, 02-15..02-23 are off, 02-28 (Sat) is a make-up working day.
    assert add_working_days(D("2026-02-13"), 20, calendar) == (D("2026-03-19"), False)


def test_five_working_days_across_national_day_2025(calendar):
    # 10-01..10-08 off; 10-11 (Sat) is a make-up working day.
    assert add_working_days(D("2025-09-30"), 5, calendar) == (D("2025-10-14"), False)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # 2024
        ("2023-12-29", 1, "2024-01-02"),  # 元旦 01-01 off (2023 is unpublished here: provisional, see below)
        ("2024-02-08", 1, "2024-02-09"),  # 除夕 02-09 (Fri): staff are encouraged to take it off, yet a working day
        ("2024-02-09", 1, "2024-02-18"),  # 02-18 (Sun) make-up working day
        ("2024-04-03", 1, "2024-04-07"),  # 清明 04-04..06 off, 04-07 (Sun) make-up
        ("2024-04-30", 1, "2024-05-06"),  # 劳动节 05-01..05 off
        ("2024-04-26", 1, "2024-04-28"),  # 04-28 (Sun) make-up
        ("2024-05-10", 1, "2024-05-11"),  # 05-11 (Sat) make-up
        ("2024-06-07", 1, "2024-06-11"),  # 端午 06-10 off
        ("2024-09-13", 1, "2024-09-14"),  # 09-14 (Sat) make-up before 中秋 09-15..17
        ("2024-09-14", 1, "2024-09-18"),
        ("2024-09-27", 1, "2024-09-29"),  # 09-29 (Sun) make-up before 国庆
        ("2024-09-30", 1, "2024-10-08"),  # 国庆 10-01..07 off
        ("2024-10-11", 1, "2024-10-12"),  # 10-12 (Sat) make-up
        # 2025 (new rule: 除夕 and 05-02 are statutory days)
        ("2024-12-31", 1, "2025-01-02"),  # 元旦 01-01 only
        ("2025-01-24", 1, "2025-01-26"),  # 01-26 (Sun) make-up
        ("2025-01-27", 1, "2025-02-05"),  # 春节 01-28..02-04 off
        ("2025-02-07", 1, "2025-02-08"),  # 02-08 (Sat) make-up
        ("2025-04-03", 1, "2025-04-07"),  # 清明 04-04..06
        ("2025-04-25", 1, "2025-04-27"),  # 04-27 (Sun) make-up
        ("2025-04-30", 1, "2025-05-06"),  # 劳动节 05-01..05
        ("2025-05-30", 1, "2025-06-03"),  # 端午 05-31..06-02
        ("2025-09-26", 1, "2025-09-28"),  # 09-28 (Sun) make-up
        ("2025-09-30", 1, "2025-10-09"),  # 国庆、中秋 10-01..08
        ("2025-10-10", 1, "2025-10-11"),  # 10-11 (Sat) make-up
        # 2026
        ("2025-12-31", 1, "2026-01-04"),  # 元旦 01-01..03 off, 01-04 (Sun) make-up
        ("2026-02-13", 1, "2026-02-14"),  # 02-14 (Sat) make-up
        ("2026-02-14", 1, "2026-02-24"),  # 春节 02-15..23
        ("2026-02-27", 1, "2026-02-28"),  # 02-28 (Sat) make-up
        ("2026-04-03", 1, "2026-04-07"),  # 清明 04-04..06
        ("2026-04-30", 1, "2026-05-06"),  # 劳动节 05-01..05
        ("2026-05-08", 1, "2026-05-09"),  # 05-09 (Sat) make-up
        ("2026-06-18", 1, "2026-06-22"),  # 端午 06-19..21
        ("2026-09-18", 1, "2026-09-20"),  # 09-20 (Sun) make-up
        ("2026-09-24", 1, "2026-09-28"),  # 中秋 09-25..27
        ("2026-09-30", 1, "2026-10-08"),  # 国庆 10-01..07
        ("2026-10-09", 1, "2026-10-10"),  # 10-10 (Sat) make-up
    ],
)
def test_every_2024_to_2026_holiday_and_make_up_day(calendar, start, days, due):
    assert add_working_days(D(start), days, calendar).due == D(due)


def test_make_up_weekend_days_are_working_days_and_holidays_are_not(calendar):
    for make_up in ("2024-02-04", "2024-10-12", "2025-01-26", "2025-10-11", "2026-01-04", "2026-02-28"):
        assert D(make_up).weekday() >= 5 and is_workday(D(make_up), calendar)
    for holiday in ("2024-10-01", "2025-01-28", "2025-05-02", "2026-02-23", "2026-10-07"):
        assert D(holiday).weekday() < 5 and not is_workday(D(holiday), calendar)


def test_a_suspension_across_a_holiday_moves_the_due_date_by_the_working_days_suspended(calendar):
    accepted = D("2026-09-21")
    due = add_working_days(accepted, 20, calendar).due
    assert due == D("2026-10-26")  # 中秋 09-25 and 国庆 10-01..07 off; the 10-10 (Sat) make-up day counts
    # 补正 requested 09-29, supplied 10-12: the clock stood still on 09-30, 10-08, 10-09, 10-10 and 10-12.
    suspended = working_days_between(D("2026-09-29"), D("2026-10-12"), calendar).days
    assert suspended == 5
    moved = add_working_days(due, suspended, calendar).due
    assert moved == D("2026-11-02")
    assert working_days_between(due, moved, calendar).days == suspended
    assert moved > due and is_workday(moved, calendar)


def test_a_due_date_reaching_into_2027_is_provisional(calendar):
    due = add_working_days(D("2026-12-15"), 20, calendar)
    assert due.provisional and due.due.year == 2027
    assert not add_working_days(D("2026-12-01"), 10, calendar).provisional
    assert working_days_between(D("2026-12-30"), D("2027-01-05"), calendar).provisional
    with pytest.raises(ScheduleNotPublished):
        is_workday(D("2027-01-04"), calendar)


def test_remaining_days_are_zero_on_the_due_date_and_negative_when_overdue(calendar):
    due = D("2026-03-19")
    assert remaining_working_days(due, due, calendar).days == 0
    assert remaining_working_days(D("2026-03-17"), due, calendar).days == 2
    assert remaining_working_days(D("2026-03-20"), due, calendar).days == -1
    assert remaining_working_days(D("2026-03-22"), due, calendar).days == -1  # Sunday: still one working day late
    assert remaining_working_days(D("2026-03-23"), due, calendar).days == -2  # Fri 20th and Mon 23rd


def test_zero_days_is_the_start_and_negative_days_go_back(calendar):
    assert add_working_days(D("2026-02-20"), 0, calendar).due == D("2026-02-20")
    assert add_working_days(D("2026-02-24"), -1, calendar).due == D("2026-02-14")


_DATES = st.dates(min_value=D("2024-01-01"), max_value=D("2026-12-31"))


@settings(max_examples=300, deadline=None)
@given(start=_DATES, days=st.integers(min_value=-400, max_value=400))
def test_adding_then_counting_round_trips(start, days):
    calendar = official_calendar()
    due = add_working_days(start, days, calendar)
    assert working_days_between(start, due.due, calendar).days == days
    if days:
        # The due date itself is always a working day, under the rule that counted it.
        assert calendar._rule(due.due)


@settings(max_examples=200, deadline=None)
@given(start=_DATES, end=_DATES)
def test_counting_agrees_with_a_day_by_day_walk(start, end):
    calendar = official_calendar()
    if end >= start:  # forwards: the working days in (start, end]
        expected = sum(1 for n in range(1, (end - start).days + 1) if is_workday(start + timedelta(n), calendar))
    else:  # backwards: minus the working days in [end, start)
        expected = -sum(1 for n in range((start - end).days) if is_workday(end + timedelta(n), calendar))
    assert working_days_between(start, end, calendar).days == expected
