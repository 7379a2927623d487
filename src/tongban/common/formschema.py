"""Application forms described by JSON Schema (the catalog's ``form_schema``), checked on the server.

The subset an editor can use, and all that is checked: an ``object`` with ``properties`` and ``required``;
per property ``type`` (string, integer, number, boolean), ``title``, ``description``, ``enum``, ``minLength``,
``maxLength``, ``pattern``, ``minimum``, ``maximum`` and ``format`` (``date``, ``email``, ``phone`` — a mainland
mobile number — and ``textarea`` as a display hint). ``x-prefill`` names where an answer may come from
(``identity.name``, or ``<resource code>.<field>`` of the exchange); the top-level array ``x-order`` gives the
fields' order. Unknown keywords are ignored, never guessed at. Messages are in the user's language; each problem
is keyed by the property name.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")


def properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The schema's properties in the form's order. JSON objects have no order once stored (PostgreSQL's jsonb
    sorts keys), so the order is the array ``x-order`` (the catalog adds it on import from the author's order),
    then the ``required`` array, then the rest."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return {}
    found = {str(k): v for k, v in props.items() if isinstance(v, dict)}
    ranked: list[str] = []
    for listed in (schema.get("x-order"), schema.get("required"), list(found)):
        for name in listed if isinstance(listed, list) else []:
            if name in found and name not in ranked:
                ranked.append(name)
    return {name: found[name] for name in ranked}


def with_order(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with ``x-order`` naming its properties in their present order, unless it has one already."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict) or not props or isinstance(schema.get("x-order"), list):
        return schema
    return {**schema, "x-order": list(props)}


def required(schema: dict[str, Any]) -> set[str]:
    names = schema.get("required") if isinstance(schema, dict) else None
    return {str(n) for n in names} if isinstance(names, list) else set()


def coerce(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Turn what a browser posts (strings) into the schema's types where that is unambiguous; keep the rest
    as sent so :func:`problems` can name it. Only schema properties are kept."""
    result: dict[str, Any] = {}
    for name, spec in properties(schema).items():
        if name not in data:
            continue
        value = data[name]
        kind = spec.get("type", "string")
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
            if kind == "integer" and re.fullmatch(r"-?\d+", value):
                value = int(value)
            elif kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", value):
                value = float(value)
            elif kind == "boolean" and value in {"true", "on", "1", "false", "0"}:
                value = value in {"true", "on", "1"}
        result[name] = value
    return result


def problems(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, str]:
    """What is wrong with ``data`` under ``schema``: {property: message}; empty when it is fine."""
    found: dict[str, str] = {}
    props = properties(schema)
    needed = required(schema)
    for name in [*props, *sorted(needed - set(props))]:  # in the form's order
        value = data.get(name)
        if value in (None, "", []):
            if name in needed:
                found[name] = _("This field is required.")
            continue
        message = _problem(props[name], value) if name in props else ""
        if message:
            found[name] = message
    return found


def _problem(spec: dict[str, Any], value: Any) -> str:
    kind = spec.get("type", "string")
    if kind == "boolean":
        return "" if isinstance(value, bool) else _("Choose yes or no.")
    if kind in {"integer", "number"}:
        return _number_problem(spec, value, integer=kind == "integer")
    if not isinstance(value, str):
        return _("Enter text.")
    return _string_problem(spec, value)


def _number_problem(spec: dict[str, Any], value: Any, *, integer: bool) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        return _("Enter a whole number.") if integer else _("Enter a number.")
    if isinstance(spec.get("minimum"), int | float) and value < spec["minimum"]:
        return _("Enter at least %(minimum)s.") % {"minimum": spec["minimum"]}
    if isinstance(spec.get("maximum"), int | float) and value > spec["maximum"]:
        return _("Enter at most %(maximum)s.") % {"maximum": spec["maximum"]}
    return ""


def _string_problem(spec: dict[str, Any], value: str) -> str:
    enum = spec.get("enum")
    if isinstance(enum, list) and value not in enum:
        return _("Choose one of the options.")
    if isinstance(spec.get("minLength"), int) and len(value) < spec["minLength"]:
        return _("Enter at least %(count)d characters.") % {"count": spec["minLength"]}
    if isinstance(spec.get("maxLength"), int) and len(value) > spec["maxLength"]:
        return _("Enter at most %(count)d characters.") % {"count": spec["maxLength"]}
    pattern = spec.get("pattern")
    if isinstance(pattern, str) and re.search(pattern, value) is None:
        return _("The format is not right.")
    return _format_problem(spec.get("format"), value)


def _format_problem(fmt: Any, value: str) -> str:
    if fmt == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    if fmt == "email" and not _EMAIL.match(value):
        return _("Enter an e-mail address.")
    if fmt == "phone" and not _PHONE.match(value):
        return _("Enter an 11-digit mobile number.")
    return ""
