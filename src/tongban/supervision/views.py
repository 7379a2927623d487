"""Supervision pages: staff-only department figures, and the public monthly report (aggregates only)."""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from tongban.cases.public import bundle_saving_figures
from tongban.common.public import PermissionDenied
from tongban.supervision.selectors import (
    Figures,
    Month,
    department_figures,
    overdue_cases,
    public_report_cached,
    supervisable_departments,
)

LIGHTS = (("green", gettext_lazy("on time")), ("yellow", gettext_lazy("due soon")), ("red", gettext_lazy("overdue")))


def _month(request: HttpRequest) -> Month:
    return Month.parse(request.GET.get("month", ""), timezone.localdate())


@require_GET
@login_required(login_url="workbench:login")
def index(request: HttpRequest) -> HttpResponse:
    departments = supervisable_departments(request.user)
    if not departments:
        raise Http404
    context = {"departments": departments, "month": _month(request), "bundles": bundle_saving_figures()}
    return render(request, "supervision/index.html", context)


@require_GET
@login_required(login_url="workbench:login")
def department(request: HttpRequest, department_id: int) -> HttpResponse:
    month = _month(request)
    try:
        figures = department_figures(request.user, department_id, month)
        late = overdue_cases(request.user, department_id)
    except PermissionDenied as exc:
        raise Http404 from exc
    # Server-rendered bar chart geometry: one 28-px bar per light, scaled to the largest count.
    largest = max((figures.lights.get(key, 0) for key, _label in LIGHTS), default=0) or 1
    bars = [
        {"key": key, "label": label, "count": figures.lights.get(key, 0), "y": 8 + index * 40,
         "width": round(420 * figures.lights.get(key, 0) / largest)}
        for index, (key, label) in enumerate(LIGHTS)
    ]  # fmt: skip
    return render(
        request,
        "supervision/department.html",
        {"figures": figures, "month": month, "bars": bars, "overdue": late},
    )


@require_GET
@login_required(login_url="workbench:login")
def department_export(request: HttpRequest, department_id: int) -> HttpResponse:
    month = _month(request)
    try:
        figures = department_figures(request.user, department_id, month)
    except PermissionDenied as exc:
        raise Http404 from exc
    return _xlsx([figures], month, f"supervision-{department_id}-{month}.xlsx")


@require_GET
def public_monthly_report(request: HttpRequest, month: str) -> HttpResponse:
    period = Month.parse(month, timezone.localdate())
    rows = public_report_cached(period)
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows, period, f"report-{period}.xlsx")
    return render(request, "supervision/public_report.html", {"rows": rows, "month": period})


def _xlsx(rows: list[Figures], month: Month, filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has one sheet; this satisfies the type checker
        sheet = book.create_sheet()
    sheet.title = str(month)
    headers = [
        _("Department"), _("Received"), _("Completed"), _("On-time rate (%)"), _("Average working days"),
        _("Average promised days"), _("Fully online (%)"), _("Ratings"), _("Satisfaction (%)"),
        _("Rectification on time (%)"), _("Open: on time"), _("Open: due soon"), _("Open: overdue"),
    ]  # fmt: skip
    sheet.append(headers)
    for f in rows:
        sheet.append([
            f.name, f.received, f.completed, f.on_time_rate, f.average_working_days, f.average_promised_days,
            f.online_share, f.ratings, f.satisfaction, f.tickets_on_time_rate, f.lights.get("green", 0),
            f.lights.get("yellow", 0), f.lights.get("red", 0),
        ])  # fmt: skip
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
