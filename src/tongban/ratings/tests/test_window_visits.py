"""一次一评 of a window visit: the clerk records it, the citizen rates it once through a link valid for a while;
a bad rating opens the same rectification ticket as a case rating; staff never see who rated."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext

from tongban.cases import dates
from tongban.cases import services as cases
from tongban.cases.tests.factories import PDF, citizen, office
from tongban.common.models import AuditEvent
from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory
from tongban.ratings import services
from tongban.ratings.models import Rating, RectificationTicket, TicketState, WindowVisit
from tongban.ratings.selectors import ratings_for_staff, visits_recorded_by

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
ERROR_SHAPE = {"code", "message", "fields"}


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": datetime(2026, 9, 29, 10, 0, tzinfo=ZONE)}
    monkeypatch.setattr(services, "now", lambda: moment["now"])
    monkeypatch.setattr(services, "today", lambda: moment["now"].date())
    monkeypatch.setattr(dates, "today", lambda: moment["now"].date())
    return moment


def _visit(desk, **kwargs):
    return services.visit_record(clerk=desk.clerk, department_id=desk.department.pk, window="A12", **kwargs)


def test_a_bad_visit_rating_opens_a_ticket_and_staff_never_see_the_rater(clock):
    desk, rater = office(), citizen(first_name="李窗口")
    visit = _visit(desk, item_code=desk.item_code)
    assert visit.item_name and visit.region_code == desk.department.region.code
    assert visit.expires_at == clock["now"] + timedelta(hours=24)
    rating = services.visit_rate(token=visit.token, rater=rater, level=2, reasons=["等待时间长"])
    assert (rating.kind, rating.visit_id, rating.case_id, rating.department_id) == (
        Rating.Kind.WINDOW_VISIT,
        visit.pk,
        None,
        desk.department.pk,
    )
    ticket = RectificationTicket.objects.get(rating=rating)
    # Opened Tue 09-29 before National Day: contact by 09-30, rectify within 5 working days lands on 10-12.
    assert (ticket.contact_due, ticket.rectify_due, ticket.state) == (
        date(2026, 9, 30),
        date(2026, 10, 12),
        TicketState.OPEN,
    )
    handler = desk.handler
    services.ticket_act(ticket_id=ticket.pk, actor=handler, action="contact")
    services.ticket_act(ticket_id=ticket.pk, actor=handler, action="resolve", note="调整窗口排班")
    assert services.ticket_act(ticket_id=ticket.pk, actor=rater, action="confirm").state == TicketState.CONFIRMED

    supervisor = StaffAssignmentFactory(department=desk.department, role=StaffRole.SUPERVISOR).user
    seen = ratings_for_staff(supervisor)
    assert [(r.kind, r.visit_id, r.level) for r in seen] == [("window_visit", visit.pk, 2)]
    assert not hasattr(seen[0], "rater") and not hasattr(seen[0], "rater_id")
    assert [v.rated for v in visits_recorded_by(desk.clerk)] == [True]
    assert AuditEvent.objects.filter(action="visit.recorded", object_id=str(visit.pk)).exists()


def test_a_visit_is_rated_once_before_its_link_expires_and_not_by_its_clerk(clock):
    desk = office()
    visit = _visit(desk)
    with pytest.raises(PermissionDenied):
        services.visit_rate(token=visit.token, rater=desk.clerk, level=5, reasons=[])
    with pytest.raises(NotFound):
        services.visit_rate(token="not-a-token", rater=citizen(), level=5, reasons=[])
    with pytest.raises(DomainError) as no_reason:
        services.visit_rate(token=visit.token, rater=citizen(), level=1, reasons=[], comment=" ")
    assert "reasons" in no_reason.value.fields
    services.visit_rate(token=visit.token, rater=citizen(), level=5, reasons=[])
    assert not RectificationTicket.objects.exists()
    with pytest.raises(Conflict):
        services.visit_rate(token=visit.token, rater=citizen(), level=4, reasons=[])

    late = _visit(desk)
    clock["now"] += timedelta(hours=24, seconds=1)
    with pytest.raises(Conflict) as expired:
        services.visit_rate(token=late.token, rater=citizen(), level=5, reasons=[])
    assert expired.value.message == gettext("This rating link has expired.")
    assert Rating.objects.count() == 1


def test_only_window_clerks_record_visits_for_their_departments(clock):
    desk, other = office(), office()
    with pytest.raises(PermissionDenied):
        services.visit_record(clerk=desk.handler, department_id=desk.department.pk, window="A1")
    with pytest.raises(DomainError) as outside:
        services.visit_record(clerk=desk.clerk, department_id=other.department.pk, window="A1")
    assert "department" in outside.value.fields
    with pytest.raises(DomainError) as no_window:
        services.visit_record(clerk=desk.clerk, department_id=desk.department.pk, window=" ")
    assert "window" in no_window.value.fields
    with pytest.raises(DomainError) as no_item:
        _visit(desk, item_code="NO-SUCH-ITEM")
    assert "item_code" in no_item.value.fields
    assert not WindowVisit.objects.exists()


def test_a_visit_with_a_case_takes_the_case_department_and_item(clock):
    desk, applicant = office(), citizen()
    case = cases.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        cases.case_attach_material(case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF)
    case = cases.case_submit(case_id=case.pk, actor=applicant)
    visit = services.visit_record(clerk=desk.clerk, window="B3", case_id=case.pk)
    assert (visit.case_id, visit.department_id, visit.item_code) == (case.pk, case.department_id, case.item_code)
    with pytest.raises((NotFound, DomainError)):  # a case of a department the clerk does not serve
        services.visit_record(clerk=office().clerk, window="B3", case_id=case.pk)


def test_clerk_and_rater_pages(client, clock):
    desk, rater = office(), citizen(first_name="赵评价")
    client.force_login(desk.clerk)
    page = client.get("/ratings/visits/")
    assert page.status_code == 200
    refused = client.post("/ratings/visits/", {"department": desk.department.pk, "window": ""})
    assert refused.status_code == 400 and gettext("Name the window.") in refused.content.decode()
    recorded = client.post("/ratings/visits/", {"department": desk.department.pk, "window": "C7"})
    visit = WindowVisit.objects.get()
    assert recorded.status_code == 302 and recorded["Location"] == f"/ratings/visits/{visit.pk}/"
    shown = client.get(recorded["Location"]).content.decode()
    assert "<svg" in shown and f"/ratings/v/{visit.token}/" in shown

    client.force_login(rater)
    form = client.get(f"/ratings/v/{visit.token}/")
    assert form.status_code == 200 and desk.department.name in form.content.decode()
    rated = client.post(f"/ratings/v/{visit.token}/", {"level": "1", "reasons": ["态度"], "comment": "不耐烦"})
    assert rated.status_code == 302 and Rating.objects.get().rater == rater
    assert gettext("You have rated this visit.") in client.get(f"/ratings/v/{visit.token}/").content.decode()
    assert client.get("/ratings/v/nope/").status_code == 404

    client.force_login(desk.clerk)
    listing = client.get("/ratings/visits/").content.decode()
    assert "赵评价" not in listing and "不耐烦" not in listing  # the clerk sees that it was rated, not how or by whom
    client.force_login(desk.handler)  # not a window clerk
    assert client.get("/ratings/visits/").status_code == 404
    assert client.get(f"/ratings/visits/{visit.pk}/").status_code == 404  # only the recording clerk


def test_window_visit_ratings_over_the_api(client, clock):
    desk, rater = office(), citizen()
    client.force_login(desk.clerk)
    created = client.post(
        "/api/v1/ratings/visits",
        {"department_id": desk.department.pk, "window": "D1", "item_code": desk.item_code},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    token = body["rating_url"].rstrip("/").rsplit("/", 1)[-1]
    assert body["rated"] is False and body["item_code"] == desk.item_code
    assert client.get(f"/api/v1/ratings/visits/{body['id']}/qr.svg")["Content-Type"] == "image/svg+xml"
    assert [v["id"] for v in client.get("/api/v1/ratings/visits").json()] == [body["id"]]

    client.force_login(rater)
    about = client.get(f"/api/v1/ratings/visit-links/{token}")
    assert about.status_code == 200 and about.json()["window"] == "D1" and about.json()["rated"] is False
    rating = {"level": 2, "reasons": ["等待时间长"], "comment": ""}
    first = client.post(f"/api/v1/ratings/visit-links/{token}", rating, content_type="application/json")
    assert first.status_code == 201 and first.json()["ticket_id"] == RectificationTicket.objects.get().pk
    again = client.post(f"/api/v1/ratings/visit-links/{token}", rating, content_type="application/json")
    assert again.status_code == 409 and set(again.json()) == ERROR_SHAPE
    unknown = client.post("/api/v1/ratings/visit-links/nope", rating, content_type="application/json")
    assert unknown.status_code == 404 and set(unknown.json()) == ERROR_SHAPE
    assert client.post("/api/v1/ratings/visits", {"department_id": desk.department.pk, "window": "D1"},
                       content_type="application/json").status_code == 403  # fmt: skip


def test_staff_see_a_visit_ticket_without_the_rater(client, clock):
    desk, rater = office(), citizen(first_name="钱评价")
    visit = _visit(desk)
    rating = services.visit_rate(token=visit.token, rater=rater, level=1, reasons=["态度"], comment="说话很冲")
    client.force_login(desk.handler)
    page = client.get(f"/ratings/tickets/{rating.ticket.pk}/").content.decode()
    assert "说话很冲" in page and "钱评价" not in page
