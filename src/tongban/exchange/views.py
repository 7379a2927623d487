"""Pages of the exchange: my department records, who used my data, and department usage statistics.

Thin: each view resolves whose data it is (the user, or an enterprise they represent) and calls one
service or selector."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongban.common.public import DomainError, NotFound
from tongban.exchange import selectors, services
from tongban.exchange.display import record_rows
from tongban.exchange.subjects import Subject, subject_for_enterprise, subject_for_person
from tongban.identity.public import User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran
    return user


def _subject(request: HttpRequest) -> tuple[Subject, str]:
    """The user themselves, or (``?enterprise=<credit code>``) an enterprise they are the legal representative of."""
    user = _user(request)
    code = request.GET.get("enterprise", "").strip().upper()
    if not code:
        return subject_for_person(user), ""
    if code not in selectors.enterprise_codes_led_by(user):
        raise Http404(_("No such enterprise among those you represent."))
    return subject_for_enterprise(code), code


def _common(request: HttpRequest, enterprise: str) -> dict[str, Any]:
    return {"enterprise": enterprise, "enterprises": selectors.enterprise_codes_led_by(_user(request))}


@login_required
def my_records(request: HttpRequest) -> HttpResponse:
    subject, enterprise = _subject(request)
    deliveries = services.my_records(user=_user(request), subject=subject)
    sections = [{"delivery": d, "rows": record_rows(d)} for d in deliveries]
    context = {"sections": sections, **_common(request, enterprise)}
    return render(request, "exchange/my_records.html", context)


@login_required
def my_usage(request: HttpRequest) -> HttpResponse:
    _whose, enterprise = _subject(request)
    user = _user(request)
    try:
        rows = selectors.usage_for_enterprise(user, enterprise) if enterprise else selectors.usage_for_person(user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "exchange/my_usage.html", {"rows": rows, **_common(request, enterprise)})


@login_required
def usage_statistics(request: HttpRequest) -> HttpResponse:
    try:
        days = max(1, min(int(request.GET.get("days", "30")), 366))
    except ValueError:
        days = 30
    try:
        stats = selectors.usage_statistics_for(_user(request), days=days)
    except DomainError as exc:
        context = {"title": _("Not available"), "explanation": exc.message, "status": exc.status}
        return render(request, "common/error.html", context, status=exc.status)
    return render(request, "exchange/statistics.html", {"stats": stats, "days": days})
