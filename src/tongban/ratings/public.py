"""What other contexts may use from ratings (好差评). Import nothing else from this package."""

from tongban.ratings.models import BAD_LEVELS, Level, Rating, RectificationTicket, TicketState, WindowVisit
from tongban.ratings.selectors import (
    RatingForStaff,
    VisitForStaff,
    rating_link,
    ratings_for_staff,
    tickets_visible_to,
    visit_for_link,
    visit_of_clerk,
    visits_recorded_by,
)
from tongban.ratings.services import rating_submit, visit_link_hours, visit_rate, visit_record

__all__ = [
    "BAD_LEVELS",
    "Level",
    "Rating",
    "RatingForStaff",
    "RectificationTicket",
    "TicketState",
    "VisitForStaff",
    "WindowVisit",
    "rating_link",
    "rating_submit",
    "ratings_for_staff",
    "tickets_visible_to",
    "visit_for_link",
    "visit_link_hours",
    "visit_of_clerk",
    "visit_rate",
    "visit_record",
    "visits_recorded_by",
]
