"""The JSON API at /api/v1/: one NinjaAPI, a router per context, one error shape for every 4xx."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from tongban import __version__
from tongban.api.routers import (
    assistant,
    bundles,
    cases,
    catalog,
    exchange,
    identity,
    licenses,
    ratings,
    supervision,
    system,
    workcalendar,
)
from tongban.common.public import DomainError, error_payload


class UnicodeJSONRenderer(BaseRenderer):
    """Chinese stays Chinese in the payload (ninja's default escapes it to \\uXXXX, tripling its size)."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


api = NinjaAPI(
    title="Tongban 通办 API",
    version=__version__,
    description="一网通办 platform API. Every 4xx answers `{code, message, fields}`.",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
    docs=Swagger(settings={"persistAuthorization": True}),
    openapi_extra={"info": {"license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}}},
)
api.add_router("/system", system.router)
api.add_router("/identity", identity.router)
api.add_router("/catalog", catalog.router)
api.add_router("/search", assistant.router)
api.add_router("/calendar", workcalendar.router)
api.add_router("/cases", cases.router)
api.add_router("/bundles", bundles.router)
api.add_router("/commitments", bundles.commitments_router)
api.add_router("/exchange", exchange.router)
api.add_router("/licenses", licenses.router)
api.add_router("/ratings", ratings.router)
api.add_router("/supervision", supervision.router)


def _field_path(loc: list[Any]) -> str:
    # ninja prefixes locations with the parameter source and the schema argument name; drop those.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "header", "cookie", "file"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "filters", "body"}:
            parts = parts[1:]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        fields.setdefault(_field_path(list(error.get("loc", []))), str(error.get("msg", "")))
    payload = error_payload("validation_error", _("Some fields need attention."), fields)
    return api.create_response(request, payload, status=422)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_payload(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_payload("unauthenticated", _("Please log in first.")), status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "too_many_requests"}
    payload = error_payload(code.get(exc.status_code, "error"), str(exc.message))
    return api.create_response(request, payload, status=exc.status_code)
