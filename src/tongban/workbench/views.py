"""Staff pages. Only staff accounts get in; each read goes through the owning context's scoping selector."""

from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False))


@login_required(login_url="workbench:login")
@user_passes_test(_is_staff, login_url="workbench:login")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/home.html")
