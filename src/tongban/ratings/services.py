"""The only writers of ratings and rectification tickets.

A bad rating (不满意 or 非常不满意) opens a ticket whose deadlines — contact the rater, rectify, or the longer
limit for complex cases — are counted in working days on the official calendar under the region's policy.
Each ticket step is checked against ``TICKET_TRANSITIONS``, audited, and told to the rater where it concerns them.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.cases.public import Stage, case_get_for
from tongban.catalog.public import items_info
from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied, log_event, notify, record_audit
from tongban.identity.public import Department, StaffRole, User, staff_scope
from tongban.ratings.models import (
    BAD_LEVELS,
    OPEN_TICKET_STATES,
    Level,
    Rating,
    RectificationPolicy,
    RectificationTicket,
    TicketEvent,
    TicketState,
    WindowVisit,
)
from tongban.workcalendar.public import add_working_days, current_calendar

logger = logging.getLogger(__name__)
MAX_REASONS = 10

DEPARTMENT, RATER, SUPERVISOR = "department", "rater", "supervisor"
S = TicketState
TICKET_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.OPEN, "contact"): (S.CONTACTED, DEPARTMENT),
    (S.CONTACTED, "start_rectifying"): (S.RECTIFYING, DEPARTMENT),
    (S.DISPUTED, "start_rectifying"): (S.RECTIFYING, DEPARTMENT),
    (S.CONTACTED, "resolve"): (S.RESOLVED, DEPARTMENT),
    (S.RECTIFYING, "resolve"): (S.RESOLVED, DEPARTMENT),
    (S.CONTACTED, "explain"): (S.EXPLAINED, DEPARTMENT),
    (S.RECTIFYING, "explain"): (S.EXPLAINED, DEPARTMENT),
    (S.RESOLVED, "confirm"): (S.CONFIRMED, RATER),
    (S.EXPLAINED, "confirm"): (S.CONFIRMED, RATER),
    (S.RESOLVED, "dispute"): (S.DISPUTED, RATER),
    (S.EXPLAINED, "dispute"): (S.DISPUTED, RATER),
    **{(state, "appeal"): (S.UNDER_APPEAL, DEPARTMENT) for state in OPEN_TICKET_STATES},
    (S.UNDER_APPEAL, "uphold_appeal"): (S.CLOSED_ON_APPEAL, SUPERVISOR),
    (S.UNDER_APPEAL, "reject_appeal"): (S.RECTIFYING, SUPERVISOR),
}


def today() -> date:
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()


def _policy(region_code: str) -> RectificationPolicy:
    """The most specific policy: the region itself, then its parents (city, province), then the defaults."""
    codes = [region_code, region_code[:4] + "00", region_code[:2] + "0000"]
    for code in codes:
        policy = RectificationPolicy.objects.filter(region_code=code).first()
        if policy is not None:
            return policy
    return RectificationPolicy(region_code=region_code)


def _deadlines(region_code: str, opened: date, *, complex_case: bool) -> dict[str, Any]:
    policy, calendar = _policy(region_code), current_calendar()
    contact = add_working_days(opened, policy.contact_days, calendar)
    rectify = add_working_days(opened, policy.complex_days if complex_case else policy.rectify_days, calendar)
    return {
        "contact_due": contact.due,
        "rectify_due": rectify.due,
        "due_provisional": contact.provisional or rectify.provisional,
    }


def _clean(level: int, reasons: list[str], comment: str) -> tuple[int, list[str], str]:
    if level not in Level.values:
        raise DomainError(_("Choose one of the five levels."), fields={"level": _("Choose a level.")})
    reasons = [str(r).strip()[:60] for r in reasons if str(r).strip()][:MAX_REASONS]
    if level in BAD_LEVELS and not reasons and not comment.strip():
        raise DomainError(
            _("Tell us what went wrong, so it can be put right."),
            fields={"reasons": _("Pick a reason or write a comment.")},
        )
    return level, reasons, comment.strip()[:1000]


def rating_submit(*, case_id: int, rater: User, level: int, reasons: list[str], comment: str = "") -> Rating:
    """一次一评: the applicant rates a completed case once."""
    level, reasons, comment = _clean(level, reasons, comment)
    case = case_get_for(rater, case_id)
    if case.applicant_id != rater.pk:
        raise NotFound(_("No such case."))
    if case.stage != Stage.CLOSED:
        raise Conflict(_("A case can be rated once it is completed."))
    with transaction.atomic():
        if Rating.objects.select_for_update().filter(case_id=case.pk).exists():
            raise Conflict(_("This case was already rated; you may change the rating once."))
        rating = Rating.objects.create(
            case_id=case.pk, department_id=case.department_id, region_code=case.region_code, rater=rater,
            level=level, reasons=reasons, comment=comment, created_at=now(),
        )  # fmt: skip
        record_audit(actor=rater, action="rating.submitted", object_type="rating", object_id=rating.pk,
                     after={"case": case.pk, "level": level}, region_code=case.region_code)  # fmt: skip
        if level in BAD_LEVELS:
            _open_ticket(rating)
    log_event(logger, "rating_submitted", rating_id=rating.pk, level=level)
    return rating


def visit_link_hours() -> int:
    """How long a window visit's rating link stays valid (``TONGBAN_RATING_VISIT_LINK_HOURS``, default 24)."""
    return settings.RATING_VISIT_LINK_HOURS


def visit_record(
    *, clerk: User, department_id: int | None = None, window: str, service_centre_id: int | None = None,
    item_code: str = "", case_id: int | None = None,
) -> WindowVisit:  # fmt: skip
    """A window clerk records a citizen served at the window; the visit's rating link is valid for a while.

    With a case, the department and item are the case's; otherwise the clerk names the department (one they
    work at as a window clerk) and, optionally, the item.
    """
    scope = staff_scope(clerk) if clerk.is_staff else None
    if scope is None or not (scope.everything or StaffRole.WINDOW_CLERK in scope.roles):
        raise PermissionDenied(_("Only window clerks record window visits."))
    window = window.strip()[:40]
    if not window:
        raise DomainError(_("Name the window."), fields={"window": _("Required.")})
    item_name = ""
    if case_id is not None:
        case = case_get_for(clerk, case_id)
        department_id, item_code, item_name = case.department_id, case.item_code, case.item_name
    elif item_code.strip():
        info = items_info(codes=[item_code.strip()]).get(item_code.strip())
        if info is None:
            raise DomainError(_("No such item."), fields={"item_code": _("No published item has this code.")})
        item_code, item_name = info.code, info.name[:300]
    department = None
    if department_id is not None:
        department = Department.objects.select_related("region").filter(pk=department_id).first()
    if department is None or not scope.covers_department(department.pk):
        raise DomainError(_("Choose a department you serve at."), fields={"department": _("Choose a department.")})
    centre = None
    if service_centre_id is not None:
        centre = Department.objects.filter(pk=service_centre_id, is_service_centre=True).first()
        if centre is None:
            raise DomainError(_("No such service centre."), fields={"service_centre": _("Choose a service centre.")})
    with transaction.atomic():
        visit = WindowVisit.objects.create(
            department=department, service_centre=centre, window=window, region_code=department.region.code,
            clerk=clerk, item_code=item_code, item_name=item_name, case_id=case_id,
            token=secrets.token_urlsafe(24), created_at=now(),
            expires_at=now() + timedelta(hours=visit_link_hours()),
        )  # fmt: skip
        record_audit(actor=clerk, action="visit.recorded", object_type="window_visit", object_id=visit.pk,
                     after={"department": department.pk, "window": window, "case": case_id},
                     region_code=visit.region_code)  # fmt: skip
    log_event(logger, "visit_recorded", visit_id=visit.pk)
    return visit


def visit_rate(*, token: str, rater: User, level: int, reasons: list[str], comment: str = "") -> Rating:
    """一次一评 of a window visit: whoever holds the visit's link rates it once, before the link expires."""
    level, reasons, comment = _clean(level, reasons, comment)
    with transaction.atomic():
        visit = WindowVisit.objects.select_for_update().filter(token=token).first()
        if visit is None:
            raise NotFound(_("This rating link is not valid."))
        if visit.clerk_id == rater.pk:
            raise PermissionDenied(_("Clerks cannot rate the visits they served."))
        if Rating.objects.filter(visit=visit).exists():
            raise Conflict(_("This visit was already rated; you may change the rating once."))
        if now() > visit.expires_at:
            raise Conflict(_("This rating link has expired."))
        rating = Rating.objects.create(
            kind=Rating.Kind.WINDOW_VISIT, visit=visit, department_id=visit.department_id,
            region_code=visit.region_code, rater=rater, level=level, reasons=reasons, comment=comment,
            created_at=now(),
        )  # fmt: skip
        record_audit(actor=rater, action="rating.submitted", object_type="rating", object_id=rating.pk,
                     after={"visit": visit.pk, "level": level}, region_code=visit.region_code)  # fmt: skip
        if level in BAD_LEVELS:
            _open_ticket(rating)
    log_event(logger, "rating_submitted", rating_id=rating.pk, level=level)
    return rating


def rating_change(*, rating_id: int, rater: User, level: int, reasons: list[str], comment: str = "") -> Rating:
    """A rater may change their rating once, within the configured period."""
    level, reasons, comment = _clean(level, reasons, comment)
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(pk=rating_id, rater=rater).first()
        if rating is None:
            raise NotFound(_("No such rating."))
        if rating.changed_at is not None:
            raise Conflict(_("A rating can be changed only once."))
        if now() - rating.created_at > timedelta(days=settings.RATING_CHANGE_DAYS):
            raise Conflict(_("Ratings can be changed within %(days)d days.") % {"days": settings.RATING_CHANGE_DAYS})
        before = {"level": rating.level}
        rating.level, rating.reasons, rating.comment, rating.changed_at = level, reasons, comment, now()
        rating.save(update_fields=["level", "reasons", "comment", "changed_at"])
        record_audit(actor=rater, action="rating.changed", object_type="rating", object_id=rating.pk,
                     before=before, after={"level": level}, region_code=rating.region_code)  # fmt: skip
        if level in BAD_LEVELS and not RectificationTicket.objects.filter(rating=rating).exists():
            _open_ticket(rating)
    return rating


def _open_ticket(rating: Rating) -> RectificationTicket:
    opened = today()
    ticket = RectificationTicket.objects.create(
        rating=rating, department_id=rating.department_id, region_code=rating.region_code, opened_on=opened,
        **_deadlines(rating.region_code, opened, complex_case=False),
    )  # fmt: skip
    _event(ticket, None, "open", "", TicketState.OPEN, "")
    record_audit(actor=None, action="ticket.opened", object_type="ticket", object_id=ticket.pk,
                 after={"rating": rating.pk, "contact_due": str(ticket.contact_due),
                        "rectify_due": str(ticket.rectify_due)}, region_code=ticket.region_code)  # fmt: skip
    return ticket


def parties_of(ticket: RectificationTicket, actor: User) -> set[str]:
    """Who ``actor`` is to this ticket: the rater, the department, and/or a supervisor."""
    parties = set()
    if ticket.rating.rater_id == actor.pk:
        parties.add(RATER)
    if actor.is_staff:
        scope = staff_scope(actor)
        covers = scope.everything or scope.covers_department(ticket.department_id)
        if covers and scope.roles - {StaffRole.SUPERVISOR, StaffRole.CATALOG_EDITOR}:
            parties.add(DEPARTMENT)
        if covers and (StaffRole.SUPERVISOR in scope.roles or scope.everything):
            parties.add(SUPERVISOR)
    return parties


def ticket_act(
    *, ticket_id: int, actor: User, action: str, note: str = "", expected_version: int | None = None,
    complex_case: bool = False,
) -> RectificationTicket:  # fmt: skip
    """Move a ticket one step: contact, start_rectifying, resolve, explain, confirm, dispute, appeal,
    uphold_appeal or reject_appeal."""
    with transaction.atomic():
        ticket = RectificationTicket.objects.select_for_update().select_related("rating").filter(pk=ticket_id).first()
        parties = parties_of(ticket, actor) if ticket is not None else set()
        if ticket is None or not parties:
            raise NotFound(_("No such ticket."))
        if expected_version is not None and expected_version != ticket.version:
            raise Conflict(_("Someone else changed this ticket a moment ago. Reload it."))
        rule = TICKET_TRANSITIONS.get((ticket.state, action))
        if rule is None:
            raise Conflict(_("This ticket is “%(state)s”; this step is not possible.") % {
                "state": ticket.get_state_display()})  # fmt: skip
        target, party = rule
        if party not in parties:
            raise PermissionDenied(_("This step is not yours to take."))
        if action in {"resolve", "explain", "appeal"} and not note.strip():
            raise DomainError(_("Say what was done, or why."), fields={"note": _("Required.")})
        before = {"state": ticket.state}
        _apply(ticket, action, note, complex_case)
        from_state, ticket.state = ticket.state, target
        ticket.version += 1
        ticket.save()
        _event(ticket, actor, action, from_state, target, note)
        record_audit(actor=actor, action=f"ticket.{action}", object_type="ticket", object_id=ticket.pk,
                     before=before, after={"state": target}, region_code=ticket.region_code)  # fmt: skip
        if action in {"resolve", "explain", "uphold_appeal"}:
            notify(recipient_id=ticket.rating.rater_id, subject=_("Your feedback was followed up"),
                   body=note or _("The department has answered your rating."), topic=f"ticket:{ticket.pk}",
                   link=f"/ratings/tickets/{ticket.pk}/")  # fmt: skip
    log_event(logger, "ticket_moved", ticket_id=ticket.pk, action=action, state=ticket.state)
    return ticket


def _apply(ticket: RectificationTicket, action: str, note: str, complex_case: bool) -> None:
    moment = now()
    if action == "contact":
        ticket.contacted_at = moment
        if complex_case:  # recognised as complex when contacting: the longer limit applies
            ticket.is_complex = True
            ticket.rectify_due = _deadlines(ticket.region_code, ticket.opened_on, complex_case=True)["rectify_due"]
    elif action in {"resolve", "explain"}:
        ticket.resolved_at, ticket.resolution = moment, note
    elif action == "appeal":
        ticket.appeal_reason = note
    elif action == "uphold_appeal":
        Rating.objects.filter(pk=ticket.rating_id).update(excluded=True)


def _event(ticket: RectificationTicket, actor: User | None, action: str, from_state: str, to_state: str,
           note: str) -> None:  # fmt: skip
    TicketEvent.objects.create(ticket=ticket, at=now(), actor=actor, action=action,
                               from_state=from_state, to_state=to_state, note=note)  # fmt: skip


def escalate_overdue(on: date | None = None) -> int:
    """Escalate open tickets past a deadline (not contacted in time, or not rectified in time)."""
    on = on or today()
    overdue = RectificationTicket.objects.filter(state__in=OPEN_TICKET_STATES, escalated_at__isnull=True).filter(
        rectify_due__lt=on
    ) | RectificationTicket.objects.filter(state=TicketState.OPEN, escalated_at__isnull=True, contact_due__lt=on)
    escalated = 0
    for ticket in overdue.distinct():
        with transaction.atomic():
            ticket = RectificationTicket.objects.select_for_update().get(pk=ticket.pk)
            if ticket.escalated_at is not None:
                continue
            ticket.escalated_at = now()
            ticket.save(update_fields=["escalated_at"])
            _event(ticket, None, "escalate", ticket.state, ticket.state, "")
            record_audit(actor=None, action="ticket.escalated", object_type="ticket", object_id=ticket.pk,
                         after={"state": ticket.state}, region_code=ticket.region_code)  # fmt: skip
            escalated += 1
    log_event(logger, "tickets_escalated", count=escalated)
    return escalated
