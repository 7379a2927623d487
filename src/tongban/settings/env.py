"""The one reader of environment variables.

Every variable Tongban understands is declared here through :func:`declare` — with its documentation and
either a default or the rule that it is required — when ``settings/base.py`` reads it. The registry is
what ``tongban settings --json`` prints and what the settings test checks, so an undocumented variable
cannot slip in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EnvVar:
    name: str
    doc: str
    default: str | None
    required_when: str | None  # e.g. "production"; None means never required (it then has a default)
    secret: bool = False


REGISTRY: dict[str, EnvVar] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def declare(
    name: str,
    *,
    doc: str,
    default: str | None = None,
    required_when: str | None = None,
    secret: bool = False,
    environ: Mapping[str, str] = os.environ,
    active_env: str = "",
) -> str | None:
    """Register ``name`` and return its value (or ``default``); raise if it is required here and missing."""
    if default is None and required_when is None:
        raise ImproperlyConfigured(f"{name}: a variable needs a default or a rule for when it is required")
    REGISTRY[name] = EnvVar(name, doc, default, required_when, secret)
    value = environ.get(name)
    if value is None or value == "":
        if required_when is not None and required_when in (active_env, "always"):
            raise ImproperlyConfigured(f"{name} must be set when TONGBAN_ENV={active_env}: {doc}")
        return default
    return value


def as_bool(name: str, value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def as_int(name: str, value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def as_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]
