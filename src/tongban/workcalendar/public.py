"""What other contexts may use from the working-day calendar. Import nothing else from this package."""

from tongban.workcalendar.clock import (
    Count,
    Due,
    ScheduleNotPublished,
    WorkCalendar,
    add_working_days,
    is_workday,
    remaining_working_days,
    working_days_between,
)
from tongban.workcalendar.selectors import current_calendar, load_calendar, published_years_with_exceptions
from tongban.workcalendar.services import on_year_published

__all__ = [
    "Count",
    "Due",
    "ScheduleNotPublished",
    "WorkCalendar",
    "add_working_days",
    "current_calendar",
    "is_workday",
    "load_calendar",
    "on_year_published",
    "published_years_with_exceptions",
    "remaining_working_days",
    "working_days_between",
]
