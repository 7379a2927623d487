"""``tongban catalog import PATH --format guangdong|guangan|tongban [--json]`` and
``tongban catalog export PATH [--format json|xlsx]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tongban.catalog import exporting, services
from tongban.common.public import DomainError


class Command(BaseCommand):
    help = "Import or export the service catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a catalog file")
        imp.add_argument("path", type=Path)
        imp.add_argument("--format", required=True, choices=sorted(services.READERS))
        imp.add_argument("--json", action="store_true", help="print the summary as JSON")
        imp.add_argument("--demo", action="store_true", help="mark the imported items as demo items")
        exp = sub.add_parser("export", help="export the published catalog")
        exp.add_argument("path", type=Path)
        exp.add_argument("--format", default="json", choices=["json", "xlsx"])
        exp.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "import":
                self._import(options)
            else:
                self._export(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        total = services.count_rows(path=path, format=options["format"])
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=options["json"] or not console.is_terminal,
        ) as progress:
            task = progress.add_task(f"导入 {path.name}", total=total)
            report = services.catalog_import(
                path=path,
                format=options["format"],
                is_demo=options["demo"],
                progress=lambda n: progress.advance(task, n),
            )
        summary = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary['rows']} rows: {summary['created']} created, {summary['changed']} changed, "
            f"{summary['unchanged']} unchanged, {summary['bad_rows']} bad ({summary['seconds']} s)"
        )
        for error in report.errors:
            self.stdout.write(f"  line {error['line']}: {error['reason']}")

    def _export(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        if options["format"] == "xlsx":
            count = exporting.export_xlsx(path)
        else:
            with path.open("w", encoding="utf-8") as stream:
                count = exporting.export_jsonl(stream)
        if options["json"]:
            self.stdout.write(json.dumps({"path": str(path), "format": options["format"], "items": count}))
        else:
            self.stdout.write(f"{count} items written to {path}")
