"""``tongban ids check VALUE [--json]``: validate a resident ID number or a unified social credit code."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongban.identity.ids import check


class Command(BaseCommand):
    help = "Identity number tools. `ids check VALUE --json` validates a resident ID or a credit code."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check_parser = sub.add_parser("check", help="Validate and normalise one value.")
        check_parser.add_argument("value")
        check_parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, **options: Any) -> None:
        result = check(options["value"])
        if options["as_json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            verdict = "valid" if result.valid else f"invalid ({result.error})"
            self.stdout.write(f"{result.kind}: {verdict} {result.normalized or ''}".rstrip())
