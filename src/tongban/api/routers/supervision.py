"""效能监督 over HTTP: the figures a supervisor watches per department and month, the department's overdue cases,
and the public monthly report (aggregates only, no login). Thin: parse, call supervision's selectors, shape the
answer. Answers name departments and case numbers, never a person."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tongban.cases import public as cases
from tongban.common.public import DomainError
from tongban.supervision import public as supervision
from tongban.supervision.public import Figures, Month

router = Router(tags=["supervision"], auth=django_auth)


class DepartmentOut(Schema):
    id: int
    code: str
    name: str


class FiguresOut(Schema):
    department_id: int | None
    name: str
    month: str = Field(description="YYYY-MM")
    received: int
    completed: int
    approved: int
    on_time: int = Field(description="Completed by the promised (else the statutory) due date.")
    on_time_rate: float | None = Field(description="Percent of completed; null when none completed.")
    online: int
    window: int
    online_share: float | None
    average_working_days: float | None = Field(description="From acceptance to completion, in working days.")
    average_promised_days: float | None
    ratings: int
    satisfied: int = Field(description="Ratings of 3 (基本满意) or better.")
    satisfaction: float | None
    average_level: float | None
    tickets: int = Field(description="Rectification tickets opened by bad ratings.")
    tickets_on_time: int
    tickets_on_time_rate: float | None
    lights: dict[str, int] = Field(description="Open cases by warning light today (green, yellow, red, none).")


class MonthIn(Schema):
    month: str = Field("", max_length=7, description="YYYY-MM; the current month when left out.")


class OverdueIn(Schema):
    limit: int = Field(50, ge=1, le=200)


class OverdueOut(Schema):
    id: int
    number: str | None
    item_code: str
    item_name: str
    stage: str
    due: date | None
    remaining_working_days: int | None = Field(description="Negative: working days past due.")


def _month(text: str) -> Month:
    """The month asked for; a month that does not exist is refused (the pages fall back to this month)."""
    today = timezone.localdate()
    if not text:
        return Month(today.year, today.month)
    month = Month.parse(text, today)
    if str(month) != text:
        raise DomainError(_("Give the month as YYYY-MM."), fields={"month": _("No such month.")}, code="bad_month")
    return month


def _figures(figures: Figures, month: Month) -> dict[str, Any]:
    return {
        **asdict(figures), "month": str(month), "on_time_rate": figures.on_time_rate,
        "online_share": figures.online_share, "satisfaction": figures.satisfaction,
        "tickets_on_time_rate": figures.tickets_on_time_rate,
    }  # fmt: skip


@router.get("/departments", response=list[DepartmentOut], summary="The departments I supervise")
def departments(request: HttpRequest) -> list[Any]:
    """Supervisors see their departments, administrators all; anyone else an empty list."""
    return supervision.supervisable_departments(request.user)


@router.get("/departments/{department_id}", response=FiguresOut, summary="A department's figures for a month")
def department(request: HttpRequest, department_id: int, filters: Query[MonthIn]) -> dict[str, Any]:
    """Cases received and completed, on time, online; ratings and rectification tickets; today's warning lights.
    403 for a department you do not supervise."""
    month = _month(filters.month)
    return _figures(supervision.department_figures(request.user, department_id, month), month)


@router.get("/departments/{department_id}/overdue", response=list[OverdueOut], summary="A department's overdue cases")
def overdue(request: HttpRequest, department_id: int, filters: Query[OverdueIn]) -> list[dict[str, Any]]:
    """Open cases past their due date, most overdue first."""
    late = supervision.overdue_cases(request.user, department_id, limit=filters.limit)
    return [
        {"id": case.pk, "number": case.number, "item_code": case.item_code, "item_name": case.item_name,
         "stage": case.stage, "due": case.due, "remaining_working_days": cases.remaining_days(case)}
        for case in late
    ]  # fmt: skip


@router.get(
    "/report/{month}", response=list[FiguresOut], auth=None, summary="The public monthly report (no login needed)"
)
def public_report(request: HttpRequest, month: str) -> list[dict[str, Any]]:
    """Per department with cases in the month: counts and rates only, no case and no person."""
    period = _month(month)
    return [_figures(figures, period) for figures in supervision.public_report_cached(period)]
