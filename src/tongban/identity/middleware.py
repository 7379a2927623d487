"""A staff session that logged in by password reaches nothing until the second factor is confirmed.

Deny by default: while the TOTP step is pending, a staff session may open only the second-factor page,
logout, static files and the language switch. Pages redirect to the TOTP page (enrolment the first time);
API calls answer 401 in the API's error shape. Citizens are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from tongban.common.public import error_payload

_ALLOWED_WHILE_PENDING = (
    "/account/second-factor/",
    "/account/logout/",
    "/workbench/logout/",
    "/admin/logout/",
    "/static/",
    "/i18n/",
    "/healthz",
)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_TOTP_REQUIRED
            and request.user.is_authenticated
            and request.user.is_staff
            and request.session.get("identity_second_factor") == "pending"
            and not request.path.startswith(_ALLOWED_WHILE_PENDING)
        ):
            if request.path.startswith("/api/"):
                payload = error_payload("second_factor_required", _("Confirm your authenticator code first."))
                return JsonResponse(payload, status=401, json_dumps_params={"ensure_ascii": False})
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('identity:second_factor')}?{query}")
        return self.get_response(request)
