"""Staff pages. Only staff accounts get in; each read goes through the owning context's scoping selector."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tongban.cases.public import OPEN_STAGES, Stage, Warning, remaining_days, staff_queue
from tongban.identity.public import StaffRole, User, staff_scope

PAGE = 50


def _is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False))


class QueueFilter(forms.Form):
    """The queue's filters; every one optional, all in the query string so a filtered queue can be bookmarked."""

    q = forms.CharField(label=_("Case number or item"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All open stages")), *[(s.value, s.label) for s in map(Stage, OPEN_STAGES)]],
    )
    warning = forms.ChoiceField(
        label=_("Warning light"),
        required=False,
        choices=[("", _("All")), *[(w.value, w.label) for w in Warning if w != Warning.NONE]],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


@login_required(login_url="workbench:login")
@user_passes_test(_is_staff, login_url="workbench:login")
def home(request: HttpRequest) -> HttpResponse:
    """My work: the open cases of my departments, most urgent first, with their warning light."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    filters = QueueFilter(request.GET or None)
    wanted: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    page = wanted.get("page") or 1
    cases = staff_queue(
        user,
        stage=wanted.get("stage", ""),
        warning=wanted.get("warning", ""),
        query=(wanted.get("q") or "").strip(),
        limit=PAGE + 1,
        offset=(page - 1) * PAGE,
    )
    rows = [{"case": case, "remaining": remaining_days(case)} for case in cases[:PAGE]]
    query = {k: v for k, v in (request.GET.dict()).items() if k != "page" and v}
    context = {
        "filters": filters if filters.is_bound else QueueFilter(),
        "rows": rows,
        "page": page,
        "has_next": len(cases) > PAGE,
        "query": query,
        "filtered": any(query.values()),
        "is_clerk": StaffRole.WINDOW_CLERK in staff_scope(user).roles,
    }
    return render(request, "workbench/home.html", context)
