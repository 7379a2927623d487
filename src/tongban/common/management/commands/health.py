import json as jsonlib
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tongban.common.health import health_report


class Command(BaseCommand):
    help = "Check the database, job queue, worker and clock, as /healthz does. Exits 1 when down."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON for programs")

    def handle(self, *args: Any, json: bool, **options: Any) -> None:
        report = health_report()
        if json:
            self.stdout.write(jsonlib.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"status: {report['status']}")
            for name, check in report["checks"].items():
                self.stdout.write(f"  {'✓' if check['ok'] else '✗'} {name}")
        if report["status"] == "down":
            raise CommandError("Tongban is down", returncode=1)
