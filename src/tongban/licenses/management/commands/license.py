"""``tongban license``: verify a license file (offline with the cache), refresh the cache, bulk import, rotate
the signing key."""

from __future__ import annotations

import csv
import io
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tongban.common.public import DomainError
from tongban.identity.public import User
from tongban.licenses import cache
from tongban.licenses.keys import signing_key_rotate
from tongban.licenses.services import license_import
from tongban.licenses.verify import verify_credential


class Command(BaseCommand):
    help = "E-licenses: verify a file (works offline), refresh the offline cache, bulk import, rotate the key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        verify = sub.add_parser("verify", help="verify a license file: exit 0 when valid, 1 when not")
        verify.add_argument("file", type=Path)
        verify.add_argument("--json", action="store_true", help="print JSON for programs")
        verify.add_argument("--offline", action="store_true", help="never use the network, only the cache")
        refresh = sub.add_parser("cache", help="the offline cache of issuer keys and status lists")
        refresh.add_argument("what", choices=["refresh"])
        refresh.add_argument(
            "--local", action="store_true", help="write this deployment's keys and lists from the database"
        )
        refresh.add_argument("--json", action="store_true")
        imp = sub.add_parser("import", help="issue licenses in bulk from a CSV or JSON file (a list of objects)")
        imp.add_argument("file", type=Path)
        imp.add_argument("--type", required=True, dest="type_code", help="license type code")
        imp.add_argument("--as", dest="username", default="", help="staff user of the issuing department (audited)")
        imp.add_argument("--json", action="store_true")
        rotate = sub.add_parser("rotate-key", help="make a new signing key; old licenses keep verifying")
        rotate.add_argument("--json", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self._verify(options["file"], as_json=options["json"], offline=options["offline"])
        elif action == "cache":
            self._refresh(local=options["local"], as_json=options["json"])
        elif action == "import":
            self._import(options["file"], options["type_code"], options["username"], as_json=options["json"])
        else:
            row = signing_key_rotate()
            self._out({"key_id": row.key_id, "algorithm": row.algorithm}, options["json"], f"new key {row.key_id}")

    def _out(self, payload: Any, as_json: bool, text: str) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) if as_json else text)

    def _verify(self, file: Path, *, as_json: bool, offline: bool) -> None:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            result: dict[str, Any] = {"valid": False, "reasons": ["malformed:not_json"]}
        else:
            warnings: list[str] = []
            if not offline and isinstance(document, dict):
                failed = cache.refresh_from_network(document)
                if failed:
                    warnings.append("offline: using cached keys and status lists")
            result = verify_credential(document, keys=cache.cached_keys, status=cache.cached_status)
            if warnings:
                result["warnings"] = warnings
        self._out(result, as_json, "valid" if result["valid"] else "NOT VALID: " + ", ".join(result["reasons"]))
        if not result["valid"]:
            raise CommandError("the license is not valid", returncode=1)

    def _refresh(self, *, local: bool, as_json: bool) -> None:
        if local:
            count = cache.refresh_from_database()
            self._out({"status_lists": count, "failed": []}, as_json, f"cached {count} status lists and the keys")
            return
        failed = cache.refresh_from_network()
        self._out({"failed": failed}, as_json, "refreshed" if not failed else "failed: " + ", ".join(failed))
        if failed:
            raise CommandError("some documents could not be fetched", returncode=1)

    def _import(self, file: Path, type_code: str, username: str, *, as_json: bool) -> None:
        actor = User.objects.filter(username=username).first() if username else None
        if username and actor is None:
            raise CommandError(f"no such user: {username}")
        text = file.read_text(encoding="utf-8-sig")
        is_json = file.suffix.lower() == ".json"
        rows: list[dict[str, Any]] = json.loads(text) if is_json else list(csv.DictReader(io.StringIO(text)))
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
        with Progress(*columns, disable=as_json, transient=False) as progress:
            task = progress.add_task("issuing", total=len(rows))
            try:
                report = license_import(
                    license_type=type_code,
                    rows=rows,
                    actor=actor,
                    progress=lambda n: progress.advance(task, n),
                )
            except DomainError as error:
                raise CommandError(error.message) from error
        payload = report.as_dict()
        lines = [f"issued {report.issued} of {report.total}"]
        lines += [f"row {r['row']}: {r['errors']}" for r in report.rows]
        self._out(payload, as_json, "\n".join(lines))
        if report.rows:
            raise CommandError(f"{len(report.rows)} rows were not imported", returncode=1)
