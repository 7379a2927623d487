"""好差评 over HTTP: rate a completed case; window clerks record visits and hand out rating links; citizens rate a
window visit once through its link. Thin: parse, call ratings' services and selectors, shape the answer.
Answers never name the rater."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from tongban.api.accounts import signed_in_user
from tongban.ratings import public as ratings
from tongban.ratings.public import Rating, WindowVisit

router = Router(tags=["ratings"], auth=django_auth)


class RatingIn(Schema):
    level: int = Field(ge=1, le=5, description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.")
    reasons: list[str] = Field(default_factory=list, max_length=10, description="Needed (or a comment) below 3.")
    comment: str = Field("", max_length=1000)


class RatingOut(Schema):
    id: int
    kind: str
    level: int
    reasons: list[str]
    comment: str
    created_at: datetime
    ticket_id: int | None = Field(None, description="The rectification ticket a bad rating opened.")


class VisitIn(Schema):
    window: str = Field(min_length=1, max_length=40)
    department_id: int | None = Field(None, description="Required unless case_id is given.")
    service_centre_id: int | None = None
    item_code: str = Field("", max_length=80)
    case_id: int | None = None


class VisitOut(Schema):
    id: int
    department: str
    window: str
    item_code: str
    item_name: str
    case_id: int | None
    created_at: datetime
    expires_at: datetime
    rated: bool
    rating_url: str = Field(description="Give this to the citizen (or show /visits/{id}/qr.svg).")


class VisitForRaterOut(Schema):
    department: str
    service_centre: str
    window: str
    item_name: str
    served_at: datetime
    expires_at: datetime
    rated: bool


def _rating(rating: Rating) -> dict[str, Any]:
    ticket = getattr(rating, "ticket", None)
    return {
        "id": rating.pk, "kind": rating.kind, "level": rating.level, "reasons": rating.reasons,
        "comment": rating.comment, "created_at": rating.created_at, "ticket_id": ticket.pk if ticket else None,
    }  # fmt: skip


def _visit(visit: WindowVisit) -> dict[str, Any]:
    return vars(ratings.VisitForStaff.of(visit, Rating.objects.filter(visit=visit).exists()))


@router.post("/cases/{case_id}", response={201: RatingOut}, summary="Rate a completed case (一次一评)")
def rate_case(request: HttpRequest, case_id: int, payload: RatingIn) -> Status[dict[str, Any]]:
    rating = ratings.rating_submit(case_id=case_id, rater=signed_in_user(request), level=payload.level,
                                   reasons=payload.reasons, comment=payload.comment)  # fmt: skip
    return Status(201, _rating(rating))


@router.post("/visits", response={201: VisitOut}, summary="Record a window visit (window clerks)")
def record_visit(request: HttpRequest, payload: VisitIn) -> Status[dict[str, Any]]:
    """The answer carries the rating link, valid for a limited time; the citizen rates the visit once."""
    visit = ratings.visit_record(
        clerk=signed_in_user(request), department_id=payload.department_id, window=payload.window,
        service_centre_id=payload.service_centre_id, item_code=payload.item_code, case_id=payload.case_id,
    )  # fmt: skip
    return Status(201, _visit(visit))


@router.get("/visits", response=list[VisitOut], summary="Visits I recorded (window clerks)")
def my_visits(request: HttpRequest) -> list[dict[str, Any]]:
    return [vars(row) for row in ratings.visits_recorded_by(signed_in_user(request))]


@router.get("/visits/{visit_id}/qr.svg", summary="The rating link as a QR code (SVG)")
def visit_qr(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = ratings.visit_of_clerk(signed_in_user(request), visit_id)
    svg = segno.make(ratings.rating_link(visit), error="m").svg_inline(scale=5)
    return HttpResponse(svg, content_type="image/svg+xml")


@router.get("/visit-links/{token}", response=VisitForRaterOut, summary="The visit behind a rating link")
def visit_by_link(request: HttpRequest, token: str) -> dict[str, Any]:
    signed_in_user(request)
    visit = ratings.visit_for_link(token)
    return {
        "department": visit.department.name,
        "service_centre": visit.service_centre.name if visit.service_centre else "",
        "window": visit.window, "item_name": visit.item_name, "served_at": visit.created_at,
        "expires_at": visit.expires_at, "rated": Rating.objects.filter(visit=visit).exists(),
    }  # fmt: skip


@router.post("/visit-links/{token}", response={201: RatingOut}, summary="Rate a window visit (once)")
def rate_visit(request: HttpRequest, token: str, payload: RatingIn) -> Status[dict[str, Any]]:
    """404 for an unknown link; 409 once the visit is rated or the link has expired."""
    rating = ratings.visit_rate(token=token, rater=signed_in_user(request), level=payload.level,
                                reasons=payload.reasons, comment=payload.comment)  # fmt: skip
    return Status(201, _rating(rating))
