"""Django authentication backend: phone, resident ID or username + password, with lockout and limits.

Used by every password form (portal and workbench), so the lockout applies everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from tongban.common.public import DomainError
from tongban.identity import services
from tongban.identity.models import User
from tongban.identity.sessions import user_loaded_with_session


def client_ip(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: behind the TLS proxy, the proxy is configured to set it (X-Forwarded-For is spoofable).
    return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


class PasswordBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        try:
            user = services.login_check_password(identifier=username, password=password, ip=client_ip(request))
        except DomainError:
            # Counted and logged by the service; Django's forms then say the details are not right.
            # The portal's own login form calls the service directly to show when a lock ends.
            return None
        if request is not None and user.is_staff:
            request.session["identity_second_factor"] = "pending"
        return user

    def get_user(self, user_id: Any) -> User | None:
        """The session's user as the session engine read it (same query, same request), else from the table."""
        user = user_loaded_with_session(user_id)
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)
