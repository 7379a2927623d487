"""Readers of ratings. Staff see what was rated and how, never who rated (the rater's view is separate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from tongban.common.public import NotFound
from tongban.identity.public import User, staff_scope
from tongban.ratings.models import Level, Rating, RectificationTicket, WindowVisit


@dataclass(frozen=True)
class RatingForStaff:
    """A rating as department staff and supervisors see it: no rater, no way back to them."""

    id: int
    case_id: int | None
    level: int
    reasons: list[str]
    comment: str
    created_at: datetime
    excluded: bool
    kind: str = Rating.Kind.CASE
    visit_id: int | None = None

    @classmethod
    def of(cls, r: Rating) -> RatingForStaff:
        return cls(r.pk, r.case_id, r.level, list(r.reasons), r.comment, r.created_at, r.excluded, r.kind, r.visit_id)

    def get_level_display(self) -> str:
        return str(Level(self.level).label)


@dataclass(frozen=True)
class VisitForStaff:
    """A window visit as its clerk sees it: whether it was rated — not how, not by whom."""

    id: int
    department: str
    window: str
    item_code: str
    item_name: str
    case_id: int | None
    created_at: datetime
    expires_at: datetime
    rated: bool
    rating_url: str

    @classmethod
    def of(cls, v: WindowVisit, rated: bool) -> VisitForStaff:
        return cls(v.pk, v.department.name, v.window, v.item_code, v.item_name, v.case_id, v.created_at,
                   v.expires_at, rated, rating_link(v))  # fmt: skip


def _staff_departments(user: User | AnonymousUser) -> tuple[bool, frozenset[int]]:
    if isinstance(user, AnonymousUser) or not user.is_staff:
        return False, frozenset()
    scope = staff_scope(user)
    return scope.everything, scope.department_ids


def ratings_for_staff(user: User | AnonymousUser) -> list[RatingForStaff]:
    everything, departments = _staff_departments(user)
    rows = Rating.objects.all() if everything else Rating.objects.filter(department_id__in=departments)
    return [RatingForStaff.of(r) for r in rows.order_by("-created_at")[:500]]


def my_ratings(user: User | AnonymousUser) -> QuerySet[Rating]:
    if isinstance(user, AnonymousUser):
        return Rating.objects.none()
    return Rating.objects.filter(rater_id=user.pk).order_by("-created_at")


def tickets_visible_to(user: User | AnonymousUser) -> QuerySet[RectificationTicket]:
    """Raters see tickets about their ratings; staff those of their departments."""
    if isinstance(user, AnonymousUser):
        return RectificationTicket.objects.none()
    everything, departments = _staff_departments(user)
    if everything:
        return RectificationTicket.objects.all()
    own = RectificationTicket.objects.filter(rating__rater_id=user.pk)
    return own | RectificationTicket.objects.filter(department_id__in=departments) if departments else own


def ticket_get_for(user: User | AnonymousUser, ticket_id: int) -> RectificationTicket:
    ticket = tickets_visible_to(user).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def rating_for_ticket(user: User | AnonymousUser, ticket: RectificationTicket) -> RatingForStaff | Rating:
    """The rating behind a ticket: the rater sees their own; staff see it without the rater."""
    rating = ticket.rating
    if not isinstance(user, AnonymousUser) and rating.rater_id == user.pk:
        return rating
    return RatingForStaff.of(rating)


def visits_recorded_by(user: User | AnonymousUser, limit: int = 50) -> list[VisitForStaff]:
    """The window visits a clerk recorded, newest first."""
    if isinstance(user, AnonymousUser) or not user.is_staff:
        return []
    rows = (
        WindowVisit.objects.filter(clerk_id=user.pk)
        .select_related("department")
        .annotate(rated=Exists(Rating.objects.filter(visit_id=OuterRef("pk"))))
        .order_by("-created_at", "-pk")[:limit]
    )
    return [VisitForStaff.of(v, bool(getattr(v, "rated", False))) for v in rows]


def visit_of_clerk(user: User | AnonymousUser, visit_id: int) -> WindowVisit:
    """A visit for showing its rating link again: only to the clerk who recorded it."""
    visit = None
    if not isinstance(user, AnonymousUser) and user.is_staff:
        visit = WindowVisit.objects.select_related("department").filter(pk=visit_id, clerk_id=user.pk).first()
    if visit is None:
        raise NotFound(_("No such visit."))
    return visit


def visit_for_link(token: str) -> WindowVisit:
    """The visit behind a rating link (the link is the rater's proof of having been served)."""
    visit = WindowVisit.objects.select_related("department", "service_centre").filter(token=token).first()
    if visit is None:
        raise NotFound(_("This rating link is not valid."))
    return visit


def rating_link(visit: WindowVisit) -> str:
    """The absolute link the citizen opens (or scans) to rate the visit."""
    return f"{settings.SITE_URL}{reverse('ratings:rate_visit', args=[visit.token])}"
