import json as jsonlib
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.common.audit import audit_checkpoint
from tongban.common.audit_verify import stored_export, verify_audit


class Command(BaseCommand):
    help = "Tamper-evident audit trail: verify the hash chains, make a checkpoint, export checkpoints."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        verify = sub.add_parser("verify", help="recompute every chain; exit 1 at the first break")
        verify.add_argument("--checkpoints", type=Path, help="a checkpoint export held by an outside party")
        verify.add_argument("--processes", type=int, default=2, help="verify partitions in parallel processes")
        verify.add_argument("--json", action="store_true", help="print JSON for programs")
        sub.add_parser("checkpoint", help="bind all partition heads into a new checkpoint now")
        sub.add_parser("checkpoints", help="export every checkpoint (JSON) for an outside party to hold")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "checkpoint":
            self.stdout.write(audit_checkpoint().hash)
        elif action == "checkpoints":
            self.stdout.write(jsonlib.dumps(stored_export(), ensure_ascii=False, indent=2))
        else:
            self._verify(options.get("checkpoints"), as_json=options["json"], processes=options["processes"])

    def _verify(self, checkpoints: Path | None, *, as_json: bool, processes: int) -> None:
        external = jsonlib.loads(checkpoints.read_text(encoding="utf-8")) if checkpoints else []
        report = verify_audit(external_checkpoints=external, processes=processes)
        if as_json:
            self.stdout.write(jsonlib.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        elif report.intact:
            self.stdout.write(
                f"intact: {report.events} events in {report.partitions} chains, {report.checkpoints} checkpoints"
            )
        else:
            for item in report.breaks:
                self.stdout.write(f"BROKEN {item.kind} partition={item.partition} seq={item.seq}: {item.message}")
        if not report.intact:
            raise CommandError("the audit trail is broken", returncode=1)
