"""好差评 pages: rate a completed case, follow up your rating, and (staff) handle rectification tickets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tongban.cases.public import case_get_for
from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied
from tongban.identity.public import User
from tongban.ratings import selectors, services
from tongban.ratings.models import OPEN_TICKET_STATES, Level, Rating, RectificationTicket
from tongban.workcalendar.public import current_calendar, remaining_working_days

REASONS = (
    gettext_lazy("Waited too long"),
    gettext_lazy("Asked for materials more than once"),
    gettext_lazy("Unclear guidance"),
    gettext_lazy("Attitude of staff"),
    gettext_lazy("Had to visit in person"),
    gettext_lazy("System problems"),
)
STEP_LABELS = {
    "contact": gettext_lazy("Rater contacted"),
    "start_rectifying": gettext_lazy("Start rectifying"),
    "resolve": gettext_lazy("Mark as rectified"),
    "explain": gettext_lazy("Explain (no fault found)"),
    "appeal": gettext_lazy("Appeal as malicious"),
    "confirm": gettext_lazy("I am satisfied with the follow-up"),
    "dispute": gettext_lazy("I am not satisfied"),
    "uphold_appeal": gettext_lazy("Uphold the appeal"),
    "reject_appeal": gettext_lazy("Reject the appeal"),
}


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def rate_case(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    try:
        case = case_get_for(user, case_id)
    except NotFound as exc:
        raise Http404 from exc
    if case.applicant_id != user.pk:
        raise Http404
    existing = Rating.objects.filter(case_id=case.pk, rater=user).first()
    errors: dict[str, str] = {}
    if request.method == "POST" and existing is None:
        try:
            services.rating_submit(
                case_id=case.pk,
                rater=user,
                level=int(request.POST.get("level") or 0),
                reasons=request.POST.getlist("reasons"),
                comment=request.POST.get("comment", ""),
            )
        except (DomainError, ValueError) as exc:
            errors = getattr(exc, "fields", {}) or {"level": _("Choose a level.")}
            messages.error(request, getattr(exc, "message", _("Choose a level.")))
        else:
            messages.success(request, _("Thank you. Your rating was recorded."))
            return redirect("ratings:mine")
    context = {"case": case, "existing": existing, "levels": Level.choices, "reasons": REASONS, "errors": errors,
               "posted": request.POST}  # fmt: skip
    return render(request, "ratings/rate.html", context, status=400 if errors else 200)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    ratings = selectors.my_ratings(_user(request)).select_related("ticket")
    return render(request, "ratings/mine.html", {"ratings": ratings})


@login_required
def tickets(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_staff:
        raise Http404
    rows = selectors.tickets_visible_to(user).select_related("department").order_by("rectify_due", "pk")[:200]
    return render(request, "ratings/tickets.html", {"tickets": [_ticket_row(t) for t in rows]})


def _ticket_row(ticket: RectificationTicket) -> dict[str, Any]:
    return {"ticket": ticket, "remaining": remaining_working_days_for(ticket)}


def remaining_working_days_for(ticket: RectificationTicket) -> int | None:
    if ticket.state not in OPEN_TICKET_STATES:
        return None
    return remaining_working_days(services.today(), ticket.rectify_due, current_calendar()).days


@login_required
@require_http_methods(["GET", "POST"])
def ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user = _user(request)
    try:
        item = selectors.ticket_get_for(user, ticket_id)
    except NotFound as exc:
        raise Http404 from exc
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            services.ticket_act(
                ticket_id=item.pk, actor=user, action=request.POST.get("action", ""),
                note=request.POST.get("note", ""), expected_version=version,
                complex_case=request.POST.get("complex") == "on",
            )  # fmt: skip
        except (DomainError, Conflict, PermissionDenied) as exc:
            errors = exc.fields
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("ratings:ticket", ticket_id=item.pk)
    item.refresh_from_db()
    parties = services.parties_of(item, user)
    steps = [
        {"action": action, "label": STEP_LABELS[action]}
        for (state, action), (_target, party) in services.TICKET_TRANSITIONS.items()
        if state == item.state and party in parties
    ]
    context = {
        "ticket": item,
        "rating": selectors.rating_for_ticket(user, item),
        "events": item.events.all(),
        "steps": steps,
        "errors": errors,
        "remaining": remaining_working_days_for(item),
        "is_rater": item.rating.rater_id == user.pk,
    }
    return render(request, "ratings/ticket.html", context, status=400 if errors else 200)
