"""一次一评 of a window visit in a browser: the clerk records the visit and shows the QR code; the citizen opens
the link, rates the visit badly and the usual ticket follows; the clerk sees only that it was rated.
0 axe violations on every page."""

from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_cases_journey import PASSWORD, _citizen_logs_in, _officer_logs_in
from tongban.cases.tests.factories import office
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory
from tongban.ratings import services as ratings
from tongban.ratings.models import Rating, RectificationTicket, TicketState, WindowVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_window_visit_is_rated_through_its_qr_link(browser, live_server):
    desk = office()
    clerk = UserFactory(username="clerk-visit", password=PASSWORD, staff=True)
    StaffAssignmentFactory(user=clerk, department=desk.department, role=StaffRole.WINDOW_CLERK)
    person = PersonFactory(phone="13955553333", name="郑窗口", user__password=PASSWORD)

    staff = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    _officer_logs_in(staff, "clerk-visit")
    staff.goto("/ratings/visits/")
    assert axe_violations(staff) == []
    staff.locator("main form button[type=submit]").click()  # no window named
    assert staff.locator(".error-summary").is_visible()
    assert axe_violations(staff) == []
    staff.locator("#window").fill("综合窗口 12")
    staff.locator("#item_code").fill(desk.item_code)
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url("**/ratings/visits/*/")
    assert staff.locator("figure.qr svg").count() == 1
    assert axe_violations(staff) == []
    link = staff.locator("#rating-link").get_attribute("href")
    assert link and WindowVisit.objects.get().token in link

    citizen = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    _citizen_logs_in(citizen, "13955553333")
    citizen.goto(urlparse(link).path)
    assert "综合窗口 12" in citizen.locator("main").inner_text()
    assert axe_violations(citizen) == []
    citizen.locator("#level-2").check()
    citizen.locator("#reason-1").check()
    citizen.locator("#comment").fill("排队太久")
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_url("**/ratings/")
    assert axe_violations(citizen) == []

    ticket = RectificationTicket.objects.get(rating__visit__isnull=False)
    assert Rating.objects.get().rater == person.user and ticket.state == TicketState.OPEN
    ratings.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="contact")
    ratings.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="resolve", note="增开了一个窗口")
    citizen.goto(f"/ratings/tickets/{ticket.pk}/")
    assert "增开了一个窗口" in citizen.locator("main").inner_text()
    citizen.locator("button[value=confirm]").click()
    citizen.wait_for_load_state()
    assert RectificationTicket.objects.get().state == TicketState.CONFIRMED

    staff.goto("/ratings/visits/")
    listing = staff.locator("main").inner_text()
    assert "郑窗口" not in listing and "排队太久" not in listing  # rated, but not how or by whom
    assert axe_violations(staff) == []
