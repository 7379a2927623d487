from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tongban.common.management.commands._output import emit_json
from tongban.settings.env import REGISTRY


class Command(BaseCommand):
    help = "List every environment variable Tongban reads, with its default and documentation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON for programs")

    def handle(self, *args: Any, json: bool, **options: Any) -> None:
        rows = [
            {"name": v.name, "default": None if v.secret else v.default, "required_when": v.required_when,
             "doc": v.doc}
            for v in sorted(REGISTRY.values(), key=lambda v: v.name)
        ]  # fmt: skip
        if json:
            emit_json(self, rows)
            return
        for row in rows:
            rule = f"required in {row['required_when']}" if row["required_when"] else f"default {row['default']!r}"
            self.stdout.write(f"{row['name']:<30} {rule}\n    {row['doc']}")
