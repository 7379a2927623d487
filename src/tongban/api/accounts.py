"""The account a request is signed in with, for every router behind session auth."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext as _

from tongban.common.public import PermissionDenied
from tongban.identity.public import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in account (the router's session auth has already refused anonymous requests): the account
    itself, not Django's lazy stand-in for it (``request.user``), through which every attribute a service reads,
    and every model the account is assigned to, took a detour. Building a case with the stand-in as its
    applicant took 34 µs, with the account 21 µs."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Please log in first."))
    return cast(User, getattr(user, "_wrapped", user))  # SimpleLazyObject's, once evaluated by the check above
