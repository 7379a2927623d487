"""好差评: one rating per completed case; bad ones are followed up on working-day deadlines."""

from dataclasses import asdict
from datetime import date

import pytest

from tongban.cases import dates
from tongban.cases import services as cases
from tongban.cases.tests.factories import PDF, citizen, office
from tongban.common.models import AuditEvent, Message
from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory
from tongban.ratings import services
from tongban.ratings.models import Rating, RectificationPolicy, RectificationTicket, TicketState
from tongban.ratings.selectors import ratings_for_staff, tickets_visible_to

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def on_day(monkeypatch):
    def set_day(value: str) -> None:
        monkeypatch.setattr(dates, "today", lambda: D(value))
        monkeypatch.setattr(services, "today", lambda: D(value))

    return set_day


def _closed_case(on_day):
    desk, applicant = office(immediate=True), citizen()
    on_day("2026-09-29")
    case = cases.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        cases.case_attach_material(case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF)
    case = cases.case_submit(case_id=case.pk, actor=applicant)
    case = cases.case_accept(case_id=case.pk, actor=desk.clerk)  # 即办件: done at acceptance
    supervisor = StaffAssignmentFactory(department=desk.department, role=StaffRole.SUPERVISOR).user
    return desk, applicant, case, supervisor


def test_a_bad_rating_opens_a_ticket_due_on_working_days(on_day):
    _desk, applicant, case, _ = _closed_case(on_day)
    rating = services.rating_submit(case_id=case.pk, rater=applicant, level=1, reasons=["等待时间长"], comment="")
    ticket = RectificationTicket.objects.get(rating=rating)
    # Opened 09-29 (Tue) before National Day: contact within 1 working day is 09-30; rectify within 5 crosses
    # 10-01..10-07 and lands on 10-12 (10-08, 10-09, 10-10 make-up Saturday, 10-12).
    assert (ticket.opened_on, ticket.contact_due, ticket.rectify_due) == (
        D("2026-09-29"),
        D("2026-09-30"),
        D("2026-10-12"),
    )
    assert ticket.state == TicketState.OPEN and not ticket.due_provisional


def test_good_ratings_open_nothing_and_a_case_is_rated_once(on_day):
    _desk, applicant, case, _ = _closed_case(on_day)
    services.rating_submit(case_id=case.pk, rater=applicant, level=5, reasons=[])
    assert not RectificationTicket.objects.exists()
    with pytest.raises(Conflict):
        services.rating_submit(case_id=case.pk, rater=applicant, level=4, reasons=[])


def test_only_the_applicant_rates_and_only_completed_cases(on_day):
    desk, applicant, case, _ = _closed_case(on_day)
    with pytest.raises(NotFound):
        services.rating_submit(case_id=case.pk, rater=citizen(), level=5, reasons=[])
    open_case = cases.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    with pytest.raises(Conflict):
        services.rating_submit(case_id=open_case.pk, rater=applicant, level=5, reasons=[])
    with pytest.raises(DomainError) as refusal:
        services.rating_submit(case_id=case.pk, rater=applicant, level=2, reasons=[], comment=" ")
    assert "reasons" in refusal.value.fields
    assert not Rating.objects.exists()


def test_the_whole_rectification_loop_is_recorded_and_told_to_the_rater(on_day):
    desk, applicant, case, _ = _closed_case(on_day)
    rating = services.rating_submit(case_id=case.pk, rater=applicant, level=2, reasons=["态度"], comment="")
    ticket = rating.ticket
    ticket = services.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="contact", complex_case=True)
    assert ticket.is_complex and ticket.rectify_due == D("2026-10-26")  # 15 working days from 09-29
    ticket = services.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="start_rectifying")
    with pytest.raises(DomainError):
        services.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="resolve", note="")
    ticket = services.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="resolve", note="已约谈窗口人员并整改")
    with pytest.raises(PermissionDenied):
        services.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="confirm")
    ticket = services.ticket_act(ticket_id=ticket.pk, actor=applicant, action="confirm")
    assert ticket.state == TicketState.CONFIRMED
    actions = [e.action for e in ticket.events.all()]
    assert actions == ["open", "contact", "start_rectifying", "resolve", "confirm"]
    assert AuditEvent.objects.filter(object_type="ticket", object_id=str(ticket.pk)).count() == 5
    assert Message.objects.filter(recipient=applicant, topic=f"ticket:{ticket.pk}").count() == 1


def test_overdue_tickets_escalate_once(on_day):
    _desk, applicant, case, _ = _closed_case(on_day)
    services.rating_submit(case_id=case.pk, rater=applicant, level=1, reasons=["x"])
    assert services.escalate_overdue(D("2026-09-30")) == 0  # contact is due that day, not yet late
    assert services.escalate_overdue(D("2026-10-08")) == 1  # nobody contacted the rater in time
    assert services.escalate_overdue(D("2026-10-09")) == 0
    ticket = RectificationTicket.objects.get()
    assert ticket.escalated_at is not None and ticket.events.filter(action="escalate").count() == 1


def test_an_upheld_appeal_excludes_the_rating(on_day):
    desk, applicant, case, supervisor = _closed_case(on_day)
    rating = services.rating_submit(case_id=case.pk, rater=applicant, level=1, reasons=["恶意"])
    ticket = services.ticket_act(
        ticket_id=rating.ticket.pk, actor=desk.handler, action="appeal", note="与办件无关的谩骂"
    )
    with pytest.raises(PermissionDenied):
        services.ticket_act(ticket_id=ticket.pk, actor=desk.handler, action="uphold_appeal")
    services.ticket_act(ticket_id=ticket.pk, actor=supervisor, action="uphold_appeal", note="经复核属恶意评价")
    assert Rating.objects.get(pk=rating.pk).excluded


def test_region_policy_overrides_the_default_deadlines(on_day):
    _desk, applicant, case, _ = _closed_case(on_day)
    RectificationPolicy.objects.create(region_code=case.region_code[:2] + "0000", contact_days=2, rectify_days=10)
    rating = services.rating_submit(case_id=case.pk, rater=applicant, level=1, reasons=["x"])
    assert (rating.ticket.contact_due, rating.ticket.rectify_due) == (D("2026-10-08"), D("2026-10-19"))


def test_staff_never_see_who_rated_and_strangers_see_no_tickets(on_day):
    desk, applicant, case, _ = _closed_case(on_day)
    services.rating_submit(case_id=case.pk, rater=applicant, level=1, reasons=["x"], comment="窗口态度差")
    rows = ratings_for_staff(desk.handler)
    assert len(rows) == 1 and "rater" not in asdict(rows[0]) and rows[0].comment == "窗口态度差"
    assert ratings_for_staff(office().handler) == []
    assert not tickets_visible_to(citizen()).exists()
    with pytest.raises(NotFound):
        services.ticket_act(ticket_id=RectificationTicket.objects.get().pk, actor=citizen(), action="confirm")


def test_a_rating_can_be_changed_once(on_day):
    _desk, applicant, case, _ = _closed_case(on_day)
    rating = services.rating_submit(case_id=case.pk, rater=applicant, level=4, reasons=[])
    rating = services.rating_change(rating_id=rating.pk, rater=applicant, level=2, reasons=["后来发现材料丢失"])
    assert rating.level == 2 and RectificationTicket.objects.filter(rating=rating).exists()
    with pytest.raises(Conflict):
        services.rating_change(rating_id=rating.pk, rater=applicant, level=5, reasons=[])
