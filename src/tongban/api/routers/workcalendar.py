"""The working-day calendar and the legal clock over HTTP. Public data: no login needed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tongban.workcalendar.public import (
    add_working_days,
    current_calendar,
    published_years_with_exceptions,
    working_days_between,
)

router = Router(tags=["calendar"])


class AddWorkdaysIn(Schema):
    start: date = Field(description="Counting starts after this date (it is not counted itself).")
    days: int = Field(ge=-1000, le=1000, description="Working days to add (negative: go back).")


class DueOut(Schema):
    due: date
    provisional: bool = Field(description="True when an unpublished year's schedule was assumed (Mon–Fri).")


class BetweenIn(Schema):
    start: date
    end: date


class BetweenOut(Schema):
    working_days: int
    provisional: bool


class ExceptionOut(Schema):
    date: date
    is_workday: bool
    name: str


class YearOut(Schema):
    year: int
    source: str
    exceptions: list[ExceptionOut]


@router.get("/add-workdays", response=DueOut, summary="The N-th working day after a date")
def add_workdays(request: HttpRequest, query: Query[AddWorkdaysIn]) -> dict[str, Any]:
    due = add_working_days(query.start, query.days, current_calendar())
    return {"due": due.due, "provisional": due.provisional}


@router.get("/between", response=BetweenOut, summary="Working days in (start, end]")
def between(request: HttpRequest, query: Query[BetweenIn]) -> dict[str, Any]:
    count = working_days_between(query.start, query.end, current_calendar())
    return {"working_days": count.days, "provisional": count.provisional}


@router.get("/years", response=list[YearOut], summary="Published years with their holidays and make-up days")
def years(request: HttpRequest) -> list[dict[str, Any]]:
    return published_years_with_exceptions()
