"""好差评 in a browser: a bad rating opens a ticket due on the working-day calendar; the department contacts the
rater and resolves it; the rater confirms; an overdue ticket escalates. 0 axe violations on every page."""

import re

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_cases_journey import PASSWORD, _citizen_logs_in, _officer_logs_in
from tongban.cases import services as cases
from tongban.cases.tests.factories import PDF, office
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory
from tongban.ratings import services as ratings
from tongban.ratings.models import RectificationTicket, TicketState
from tongban.ratings.services import escalate_overdue
from tongban.workcalendar.public import add_working_days, current_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _completed_case(applicant):
    desk = office(immediate=True)
    case = cases.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        cases.case_attach_material(case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF)
    case = cases.case_submit(case_id=case.pk, actor=applicant)
    return desk, cases.case_accept(case_id=case.pk, actor=desk.clerk)


def test_a_bad_rating_is_followed_up_to_the_raters_confirmation(browser, live_server):
    person = PersonFactory(phone="13955551111", name="孙评价", user__password=PASSWORD)
    desk, case = _completed_case(person.user)
    officer = UserFactory(username="officer-rect", first_name="周整改", password=PASSWORD, staff=True)
    StaffAssignmentFactory(user=officer, department=desk.department, role=StaffRole.HANDLER)

    citizen = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    _citizen_logs_in(citizen, "13955551111")
    citizen.goto(f"/ratings/cases/{case.pk}/")
    assert axe_violations(citizen) == []
    citizen.locator("#level-1").check()
    citizen.locator("main form button[type=submit]").click()  # a bad rating needs a reason
    assert citizen.locator(".error-summary").is_visible()
    assert axe_violations(citizen) == []
    citizen.locator("#level-1").check()
    citizen.locator("#reason-1").check()
    citizen.locator("#comment").fill("排队两个小时")
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_url("**/ratings/")
    assert axe_violations(citizen) == []

    ticket = RectificationTicket.objects.get()
    calendar = current_calendar()
    assert ticket.contact_due == add_working_days(ticket.opened_on, 1, calendar).due
    assert ticket.rectify_due == add_working_days(ticket.opened_on, 5, calendar).due

    staff = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    _officer_logs_in(staff, "officer-rect")
    staff.goto("/ratings/tickets/")
    assert axe_violations(staff) == []
    assert "孙评价" not in staff.locator("main").inner_text()  # staff never see who rated
    staff.goto(f"/ratings/tickets/{ticket.pk}/")
    assert "排队两个小时" in staff.locator("main").inner_text()
    assert axe_violations(staff) == []
    staff.locator("button[value=contact]").click()
    staff.wait_for_load_state()
    staff.locator("#note").fill("已电话联系评价人，调整了窗口排班")
    staff.locator("button[value=resolve]").click()
    staff.wait_for_load_state()
    assert RectificationTicket.objects.get().state == TicketState.RESOLVED
    assert axe_violations(staff) == []

    citizen.goto(f"/ratings/tickets/{ticket.pk}/")
    assert "调整了窗口排班" in citizen.locator("main").inner_text()
    assert axe_violations(citizen) == []
    citizen.locator("button[value=confirm]").click()
    citizen.wait_for_load_state()
    assert RectificationTicket.objects.get().state == TicketState.CONFIRMED
    assert re.search("已确认|confirmed", citizen.locator("main").inner_text())


def test_an_overdue_ticket_escalates_and_shows_it(browser, live_server):
    person = PersonFactory(phone="13955552222", name="吴评价", user__password=PASSWORD)
    desk, case = _completed_case(person.user)
    officer = UserFactory(username="officer-late", password=PASSWORD, staff=True)
    StaffAssignmentFactory(user=officer, department=desk.department, role=StaffRole.HANDLER)
    rating = ratings.rating_submit(case_id=case.pk, rater=person.user, level=2, reasons=["态度"])
    late = add_working_days(rating.ticket.contact_due, 1, current_calendar()).due
    assert escalate_overdue(late) == 1
    staff = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    _officer_logs_in(staff, "officer-late")
    staff.goto("/ratings/tickets/")
    assert staff.locator(".tag--red").count() == 1
    assert axe_violations(staff) == []
