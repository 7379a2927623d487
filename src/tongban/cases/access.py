"""Who may open which case page: the checks every page module of cases shares (applicant pages answer 404 to
anyone but the applicant or their agent, so a case's existence never leaks; staff pages need a staff account)."""

from __future__ import annotations

from django.contrib.auth.decorators import user_passes_test
from django.http import Http404, HttpRequest
from django.urls import reverse

from tongban.cases import links, selectors
from tongban.cases.models import Case
from tongban.cases.roles import roles_on
from tongban.cases.workflow import Role
from tongban.common.public import NotFound
from tongban.identity.public import User


def request_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


def is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False))


staff_only = user_passes_test(is_staff, login_url="workbench:login")


def applicant_case(user: User, case_id: int) -> Case:
    """The case if ``user`` is its applicant (or their agent); 404 for everyone else."""
    try:
        case = selectors.case_get_for(user, case_id)
    except NotFound as error:
        raise Http404 from error
    if Role.APPLICANT not in roles_on(case, user):
        raise Http404
    return case


def status_link(request: HttpRequest, case: Case) -> str:
    """The signed public status link of a submitted case (none for a draft)."""
    if not case.number:
        return ""
    return request.build_absolute_uri(reverse("cases:status", args=[links.status_token(case)]))
