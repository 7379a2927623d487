"""Domain errors and the one error shape every API 4xx uses: ``{"code", "message", "fields"}``.

Services raise :class:`DomainError` subclasses; the API layer and the pages turn them into responses in
one place each, so a rule is written once and every caller reports it the same way.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal a user can act on. ``fields`` maps a field path to what to fix there."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalid"

    def __init__(self, message: str | Any = "", *, fields: dict[str, str] | None = None, code: str = ""):
        super().__init__(str(message))
        self.message = str(message) if message else str(_("The request could not be processed."))
        self.fields = fields or {}
        if code:
            self.code = code  # type: ignore[misc]  # an instance may narrow the class's code

    def as_payload(self) -> dict[str, Any]:
        return error_payload(self.code, self.message, self.fields)


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """Someone else changed the thing first, or the same request was already handled differently."""

    status = 409
    code = "conflict"


def error_payload(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}
