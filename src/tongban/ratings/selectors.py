"""Readers of ratings. Staff see what was rated and how, never who rated (the rater's view is separate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tongban.common.public import NotFound
from tongban.identity.public import User, staff_scope
from tongban.ratings.models import Rating, RectificationTicket


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


def _staff_departments(user: User | AnonymousUser) -> tuple[bool, frozenset[int]]:
    if isinstance(user, AnonymousUser) or not user.is_staff:
        return False, frozenset()
    scope = staff_scope(user)
    return scope.everything, scope.department_ids


def ratings_for_staff(user: User | AnonymousUser) -> list[RatingForStaff]:
    everything, departments = _staff_departments(user)
    rows = Rating.objects.all() if everything else Rating.objects.filter(department_id__in=departments)
    return [
        RatingForStaff(r.pk, r.case_id, r.level, list(r.reasons), r.comment, r.created_at, r.excluded)
        for r in rows.order_by("-created_at")[:500]
    ]


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
    return RatingForStaff(
        rating.pk,
        rating.case_id,
        rating.level,
        list(rating.reasons),
        rating.comment,
        rating.created_at,
        rating.excluded,
    )
