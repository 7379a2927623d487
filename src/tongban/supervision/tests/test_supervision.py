from datetime import date, datetime, time
from io import BytesIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tongban.cases import dates
from tongban.cases import services as cases
from tongban.cases.models import Case
from tongban.cases.sweeps import sweep_warnings
from tongban.cases.tests.factories import PDF, citizen, office
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory
from tongban.ratings import services as ratings
from tongban.supervision.selectors import Month, department_figures

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def desk(monkeypatch):
    day = {"today": D("2026-03-02")}
    monkeypatch.setattr(dates, "today", lambda: day["today"])
    moment = lambda: datetime.combine(day["today"], time(10), ZoneInfo("Asia/Shanghai"))  # noqa: E731
    monkeypatch.setattr(dates, "now", moment)
    monkeypatch.setattr(ratings, "now", moment)
    monkeypatch.setattr(ratings, "today", lambda: day["today"])
    desk = office(statutory=20, promised=5)
    supervisor = StaffAssignmentFactory(department=desk.department, role=StaffRole.SUPERVISOR).user
    return SimpleNamespace(**vars(desk), supervisor=supervisor, day=day)


def _submit(desk, applicant):
    case = cases.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        cases.case_attach_material(case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF)
    return cases.case_submit(case_id=case.pk, actor=applicant)


def _through(desk, case):
    for actor in (desk.handler, desk.reviewer):
        case = cases.case_forward(case_id=case.pk, actor=actor)
    return cases.case_approve(case_id=case.pk, actor=desk.approver)


def test_department_figures_lights_and_overdue(desk, client):
    applicant = citizen()
    fast = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)  # due 03-09 (5 wd)
    slow = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)
    waiting = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)
    desk.day["today"] = D("2026-03-04")
    _through(desk, fast)  # done in 2 working days: on time
    desk.day["today"] = D("2026-03-12")
    _through(desk, slow)  # after its 03-09 promise: late
    ratings.rating_submit(case_id=fast.pk, rater=applicant, level=5, reasons=[])
    ratings.rating_submit(case_id=slow.pk, rater=applicant, level=2, reasons=["超期"])
    sweep_warnings(D("2026-03-12"))  # the waiting case is overdue now

    figures = department_figures(desk.supervisor, desk.department.pk, Month(2026, 3))
    assert (figures.received, figures.completed, figures.on_time) == (3, 2, 1)
    assert figures.on_time_rate == 50.0 and figures.online_share == 100.0
    assert figures.average_working_days == 5.0  # 2 and 8 working days
    assert (figures.ratings, figures.satisfaction, figures.tickets) == (2, 50.0, 1)
    assert figures.lights == {"red": 1}

    client.force_login(desk.supervisor)
    page = client.get(f"/supervision/departments/{desk.department.pk}/?month=2026-03")
    assert page.status_code == 200
    assert Case.objects.get(pk=waiting.pk).number in page.content.decode()
    export = client.get(f"/supervision/departments/{desk.department.pk}/export.xlsx?month=2026-03")
    sheet = load_workbook(BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][:4] == [desk.department.name, 3, 2, 50.0]


def test_only_supervisors_of_the_department_see_its_figures(desk, client):
    for outsider in (desk.handler, office().handler, citizen()):
        client.force_login(outsider)
        assert client.get(f"/supervision/departments/{desk.department.pk}/").status_code == 404
    client.force_login(StaffAssignmentFactory(role=StaffRole.SUPERVISOR).user)  # supervises another department
    assert client.get(f"/supervision/departments/{desk.department.pk}/").status_code == 404


def test_public_report_shows_aggregates_and_no_personal_data(desk, client):
    applicant = citizen(first_name="王小明")
    case = cases.case_accept(case_id=_submit(desk, applicant).pk, actor=desk.handler)
    body = client.get("/supervision/report/2026-03/").content.decode()
    assert desk.department.name in body
    assert "王小明" not in body and case.number not in body
