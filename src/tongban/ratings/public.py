"""What other contexts may use from ratings (好差评). Import nothing else from this package."""

from tongban.ratings.models import BAD_LEVELS, Level, Rating, RectificationTicket, TicketState
from tongban.ratings.selectors import RatingForStaff, ratings_for_staff, tickets_visible_to

__all__ = [
    "BAD_LEVELS",
    "Level",
    "Rating",
    "RatingForStaff",
    "RectificationTicket",
    "TicketState",
    "ratings_for_staff",
    "tickets_visible_to",
]
