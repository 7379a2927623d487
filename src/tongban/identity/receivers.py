"""Login history for every way in (portal, workbench, admin), from Django's own login signal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tongban.identity import services
from tongban.identity.backends import client_ip
from tongban.identity.models import User


def record_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    method = str(request.session.pop("identity_login_method", "password"))
    services.login_record(
        user=user, method=method, ip=client_ip(request), session_key=request.session.session_key or ""
    )
