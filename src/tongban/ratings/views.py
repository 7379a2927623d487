"""好差评 pages: rate a completed case, follow up your rating, and (staff) handle rectification tickets."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tongban.cases.public import case_get_for, cases_visible_to
from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied
from tongban.identity.public import Department, StaffRole, User, departments_visible_to, staff_scope
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


# --- 一次一评 of a window visit: the clerk records it and shows a link/QR; the citizen rates it once. ---------


def _clerk_choices(user: User) -> tuple[list[Department], list[Department]]:
    """Departments the clerk may record visits for, and the service centres among what they see."""
    scope = staff_scope(user)
    if not (scope.everything or StaffRole.WINDOW_CLERK in scope.roles):
        return [], []
    departments = list(departments_visible_to(user).filter(is_active=True).order_by("name")[:300])
    return departments, [d for d in departments if d.is_service_centre]


@login_required(login_url="workbench:login")
@require_http_methods(["GET", "POST"])
def visits(request: HttpRequest) -> HttpResponse:
    """Workbench: record a citizen served at the window, then show them the rating QR code."""
    user = _user(request)
    departments, centres = _clerk_choices(user) if user.is_staff else ([], [])
    if not departments:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            case_id = None
            number = request.POST.get("case_number", "").strip()
            if number:
                case = cases_visible_to(user).filter(number=number).only("pk").first()
                if case is None:
                    raise DomainError(_("No such case."), fields={"case_number": _("No case with this number.")})
                case_id = case.pk
            visit = services.visit_record(
                clerk=user, department_id=_int(request.POST.get("department")), window=request.POST.get("window", ""),
                service_centre_id=_int(request.POST.get("service_centre")),
                item_code=request.POST.get("item_code", ""), case_id=case_id,
            )  # fmt: skip
        except (DomainError, NotFound, PermissionDenied) as exc:
            errors = exc.fields or {"window": exc.message}
            messages.error(request, exc.message)
        else:
            return redirect("ratings:visit", visit_id=visit.pk)
    context = {"departments": departments, "centres": centres, "visits": selectors.visits_recorded_by(user),
               "errors": errors, "posted": request.POST}  # fmt: skip
    return render(request, "ratings/visits.html", context, status=400 if errors else 200)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required(login_url="workbench:login")
def visit(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Workbench: the rating link and QR code of a visit, for the citizen to scan."""
    try:
        item = selectors.visit_of_clerk(_user(request), visit_id)
    except NotFound as exc:
        raise Http404 from exc
    link = selectors.rating_link(item)
    context = {
        "visit": item,
        "link": link,
        "qr": segno.make(link, error="m").svg_inline(scale=5),
        "rated": Rating.objects.filter(visit=item).exists(),
        "expired": services.now() > item.expires_at,
    }
    return render(request, "ratings/visit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate_visit(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's page behind the QR code: rate the window visit once, while the link is valid."""
    user = _user(request)
    try:
        item = selectors.visit_for_link(token)
    except NotFound as exc:
        raise Http404 from exc
    existing = Rating.objects.filter(visit=item).first()
    errors: dict[str, str] = {}
    if request.method == "POST" and existing is None:
        try:
            services.visit_rate(
                token=token, rater=user, level=_int(request.POST.get("level")) or 0,
                reasons=request.POST.getlist("reasons"), comment=request.POST.get("comment", ""),
            )  # fmt: skip
        except (DomainError, Conflict, PermissionDenied) as exc:
            errors = exc.fields or {"level": exc.message}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you. Your rating was recorded."))
            return redirect("ratings:mine")
    context = {
        "visit": item,
        "existing": existing,
        "mine": existing is not None and existing.rater_id == user.pk,
        "expired": existing is None and services.now() > item.expires_at,
        "levels": Level.choices,
        "reasons": VISIT_REASONS,
        "errors": errors,
        "posted": request.POST,
    }
    return render(request, "ratings/rate_visit.html", context, status=400 if errors else 200)


VISIT_REASONS = (
    gettext_lazy("Waited too long"),
    gettext_lazy("Asked for materials more than once"),
    gettext_lazy("Unclear guidance"),
    gettext_lazy("Attitude of staff"),
    gettext_lazy("Sent to another window"),
    gettext_lazy("System problems"),
)
