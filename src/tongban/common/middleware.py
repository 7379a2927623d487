"""Request ids, and JSON error bodies on every API path (never an HTML error page under /api/)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy

from tongban.common.errors import error_payload
from tongban.common.logging import log_event, request_id_var

logger = logging.getLogger("tongban.http")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
API_PREFIX = "/api/"

_STATUS_CODES = {
    400: ("bad_request", gettext_lazy("The request could not be understood.")),
    401: ("unauthenticated", gettext_lazy("Please log in first.")),
    403: ("forbidden", gettext_lazy("You are not allowed to do this.")),
    404: ("not_found", gettext_lazy("Nothing was found at this address.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    406: ("not_acceptable", gettext_lazy("This content type cannot be produced.")),
    409: ("conflict", gettext_lazy("The request conflicts with the current state.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    415: ("unsupported_media_type", gettext_lazy("This content type is not supported.")),
    429: ("too_many_requests", gettext_lazy("Too many requests; please wait and try again.")),
}


_SERVER_ERROR = gettext_lazy("Something went wrong on our side; it has been logged.")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy), put it on logs and the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # The path only: a query string may carry what a person typed.
            log_event(
                logger,
                "http_request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            return response
        finally:
            request_id_var.reset(token)


class ApiErrorShapeMiddleware:
    """Turn any non-JSON error response on an API path into the one error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and _has_error_shape(response):
            return response
        code, message = _STATUS_CODES.get(
            response.status_code,
            ("server_error", gettext_lazy("Something went wrong on our side; it has been logged.")),
        )
        shaped = JsonResponse(
            error_payload(code, str(message)),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in ("Allow", "Retry-After", "X-Request-ID"):
            if header in response:
                shaped[header] = response[header]
        return shaped

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX) or settings.DEBUG_PROPAGATE_EXCEPTIONS:
            return None
        logger.exception("api_unhandled_exception", extra={"event": "api_unhandled_exception", "fields": {}})
        return JsonResponse(
            error_payload("server_error", str(_SERVER_ERROR)),
            status=500,
        )


def _has_error_shape(response: HttpResponse) -> bool:
    try:
        body = json.loads(response.content)
    except (ValueError, AttributeError):
        return False
    return isinstance(body, dict) and {"code", "message", "fields"} <= body.keys()
