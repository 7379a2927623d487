"""Supervision over the API: the same figures as the pages, scoped to the departments one supervises."""

import pytest

from tongban.cases import services as cases
from tongban.cases.models import Case
from tongban.cases.sweeps import sweep_warnings
from tongban.cases.tests.factories import citizen, office
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory
from tongban.supervision.selectors import Month, department_figures
from tongban.supervision.tests.test_supervision import D, _submit, _through, desk  # noqa: F401  # desk: fixture

pytestmark = pytest.mark.django_db
ERROR_SHAPE = {"code", "message", "fields"}


def test_a_supervisor_reads_figures_and_overdue_cases(desk, client):  # noqa: F811
    applicant = citizen(first_name="王小明")
    done = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)
    late = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)
    desk.day["today"] = D("2026-03-04")
    _through(desk, done)
    desk.day["today"] = D("2026-03-12")
    sweep_warnings(D("2026-03-12"))  # the other one is past its 5-working-day promise

    client.force_login(desk.supervisor)
    assert [d["id"] for d in client.get("/api/v1/supervision/departments").json()] == [desk.department.pk]
    answer = client.get(f"/api/v1/supervision/departments/{desk.department.pk}?month=2026-03")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    expected = department_figures(desk.supervisor, desk.department.pk, Month(2026, 3))
    assert (body["received"], body["completed"], body["on_time"]) == (expected.received, expected.completed, 1)
    assert body["on_time_rate"] == expected.on_time_rate == 100.0 and body["lights"] == {"red": 1}
    assert body["month"] == "2026-03"

    overdue = client.get(f"/api/v1/supervision/departments/{desk.department.pk}/overdue").json()
    assert [row["number"] for row in overdue] == [Case.objects.get(pk=late.pk).number]
    assert overdue[0]["remaining_working_days"] < 0
    assert "王小明" not in answer.content.decode() + str(overdue)


def test_other_departments_are_refused_in_the_error_shape(desk, client):  # noqa: F811
    for outsider in (desk.handler, office().handler, StaffAssignmentFactory(role=StaffRole.SUPERVISOR).user):
        client.force_login(outsider)
        for path in ("", "/overdue"):
            answer = client.get(f"/api/v1/supervision/departments/{desk.department.pk}{path}")
            assert answer.status_code == 403 and set(answer.json()) == ERROR_SHAPE
        listed = [d["id"] for d in client.get("/api/v1/supervision/departments").json()]
        assert desk.department.pk not in listed and len(listed) <= 1  # a supervisor elsewhere sees only theirs
    client.logout()
    assert client.get("/api/v1/supervision/departments").status_code == 401


def test_a_month_that_does_not_exist_is_a_clear_400(desk, client):  # noqa: F811
    client.force_login(desk.supervisor)
    for month in ("2026-13", "2026-3", "三月"):
        answer = client.get(f"/api/v1/supervision/departments/{desk.department.pk}", {"month": month})
        assert answer.status_code in (400, 422) and set(answer.json()) == ERROR_SHAPE, (month, answer.content)
    assert client.get("/api/v1/supervision/report/2026-13").json()["code"] == "bad_month"


def test_the_public_report_needs_no_login_and_names_no_one(desk, client):  # noqa: F811
    applicant = citizen(first_name="王小明")
    case = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)
    answer = client.get("/api/v1/supervision/report/2026-03")
    assert answer.status_code == 200
    (row,) = answer.json()
    assert (row["name"], row["received"], row["month"]) == (desk.department.name, 1, "2026-03")
    assert "王小明" not in answer.content.decode() and case.number not in answer.content.decode()
