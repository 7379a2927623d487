"""Identity's domain errors (all DomainError subclasses, so the API and pages report them the same way)."""

from __future__ import annotations

from typing import ClassVar

from tongban.common.public import DomainError


class TooManyAttempts(DomainError):
    status: ClassVar[int] = 429
    code: ClassVar[str] = "too_many_attempts"


class LoginFailed(DomainError):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "login_failed"


class LevelRequired(DomainError):
    status: ClassVar[int] = 403
    code: ClassVar[str] = "real_name_level_required"
