"""Shared output helper for Tongban commands: human text by default, one JSON document with ``--json``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


def emit_json(command: BaseCommand, payload: Any) -> None:
    command.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
