"""Turn a delivered record into label/value rows for the page (values may be lists of objects)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tongban.exchange.services import Delivery


def display_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "，".join(display_value(v) for v in value.values())
    if isinstance(value, list):
        return "；".join(display_value(v) for v in value) if value else _("none")
    return str(value)


def record_rows(delivery: Delivery) -> list[tuple[str, str]]:
    if delivery.data is None:
        return []
    return [(delivery.field_labels.get(k, k), display_value(v)) for k, v in delivery.data.items()]
