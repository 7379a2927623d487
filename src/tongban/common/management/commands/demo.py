from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tongban.common.demo import demo_accounts, load_demo_data
from tongban.common.errors import DomainError
from tongban.common.management.commands._output import emit_json


class Command(BaseCommand):
    help = "Load the demo data (once; --force to load again) and list the demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="load every demo set again")
        parser.add_argument("--accounts-only", action="store_true", help="only list the demo accounts")
        parser.add_argument("--json", action="store_true", help="print JSON for programs")

    def handle(self, *args: Any, force: bool, accounts_only: bool, json: bool, **options: Any) -> None:
        loaded: list[str] = []
        if not accounts_only:
            try:
                loaded = load_demo_data(force=force)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        accounts = demo_accounts()
        if json:
            emit_json(self, {"loaded": loaded, "accounts": [a.__dict__ for a in accounts]})
            return
        if loaded:
            self.stdout.write(f"Loaded demo data: {', '.join(loaded)}")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo accounts 演示账号:"))
        for account in accounts:
            self.stdout.write(f"  {account.role:<28} {account.login:<20} {account.password:<18} {account.where}")
