import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tongban.common.models import AuditEvent
from tongban.common.public import DomainError
from tongban.workcalendar import services
from tongban.workcalendar.clock import add_working_days
from tongban.workcalendar.models import CalendarDay, CalendarYear
from tongban.workcalendar.schedules import BUNDLED_DIR, parse_schedule, read_schedule_file
from tongban.workcalendar.selectors import current_calendar, load_calendar
from tongban.workcalendar.tests.conftest import HOLIDAYS, official_calendar

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def test_bundled_schedules_are_the_official_files():
    for path in sorted(HOLIDAYS.glob("holiday-cn_[0-9]*.json")):
        assert (BUNDLED_DIR / path.name).read_bytes() == path.read_bytes(), path.name


def test_migrations_seed_the_published_years_and_nothing_for_2027():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2024, 2025, 2026]
    assert CalendarDay.objects.count() == 36 + 33 + 39
    assert load_calendar() == official_calendar()
    assert load_calendar().exceptions == official_calendar().exceptions


def test_an_administrators_correction_is_audited_and_used_at_once(django_capture_on_commit_callbacks):
    admin = get_user_model().objects.create_user("calendar-admin", is_staff=True, is_superuser=True)
    assert add_working_days(D("2026-11-19"), 1, current_calendar()).due == D("2026-11-20")
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_set(day=D("2026-11-20"), is_workday=False, name="临时调整", actor=admin)
    assert add_working_days(D("2026-11-19"), 1, current_calendar()).due == D("2026-11-23")
    event = AuditEvent.objects.get(action="calendar.day_set")
    assert (event.actor_id, event.object_id, event.before) == (admin.pk, "2026-11-20", None)
    assert event.after == {"is_workday": False, "name": "临时调整"}
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_remove(day=D("2026-11-20"), actor=admin)
    assert add_working_days(D("2026-11-19"), 1, current_calendar()).due == D("2026-11-20")
    assert AuditEvent.objects.filter(action="calendar.day_removed", before__name="临时调整").exists()


def test_editing_a_year_without_a_published_schedule_is_refused():
    with pytest.raises(DomainError) as refusal:
        services.calendar_day_set(day=D("2027-02-10"), is_workday=False, name="春节", actor=None)
    assert "date" in refusal.value.fields
    assert not CalendarDay.objects.filter(date__year=2027).exists() and not AuditEvent.objects.exists()


def test_loading_a_newly_published_year_ends_provisional_deadlines(django_capture_on_commit_callbacks):
    heard: list[int] = []
    services.on_year_published(heard.append)
    before = add_working_days(D("2026-12-28"), 5, current_calendar())
    assert before.provisional and before.due == D("2027-01-04")
    schedule = parse_schedule(
        {"year": 2027, "papers": ["（演示）2027年部分节假日安排"], "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": True},
            {"name": "元旦", "date": "2027-01-04", "isOffDay": True},
        ]}
    )  # fmt: skip
    with pytest.raises(DomainError):
        services.calendar_year_load(schedule=read_schedule_file(BUNDLED_DIR / "holiday-cn_2027.json"))
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_year_load(schedule=schedule)
    after = add_working_days(D("2026-12-28"), 5, current_calendar())
    assert after == (D("2027-01-06"), False)  # 01-01 and 01-04 are off in this (demo) schedule
    assert heard == [2027]


def test_cli_add_workdays_json(capsys):
    call_command("calendar", "add-workdays", "2026-02-13", "20", "--json")
    assert json.loads(capsys.readouterr().out) == {"due": "2026-03-19", "provisional": False}
    call_command("calendar", "add-workdays", "2026-12-15", "20", "--json")
    assert json.loads(capsys.readouterr().out) == {"due": "2027-01-12", "provisional": True}


def test_api_answers_the_clock_and_rejects_bad_input(client):
    ok = client.get("/api/v1/calendar/add-workdays", {"start": "2025-09-30", "days": 5})
    assert ok.status_code == 200 and ok.json() == {"due": "2025-10-14", "provisional": False}
    between = client.get("/api/v1/calendar/between", {"start": "2026-02-13", "end": "2026-03-19"}).json()
    assert between == {"working_days": 20, "provisional": False}
    bad = client.get("/api/v1/calendar/add-workdays", {"start": "2026-02-30", "days": 100000})
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"start", "days"}
    years = client.get("/api/v1/calendar/years").json()
    assert [y["year"] for y in years] == [2024, 2025, 2026]
    assert {"date": "2026-02-14", "is_workday": True, "name": "春节"} in years[2]["exceptions"]
