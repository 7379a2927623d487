from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tongban.common.demo import demo_accounts, demo_generators, load_demo_data
from tongban.common.errors import DomainError
from tongban.common.management.commands._output import emit_json


class Command(BaseCommand):
    help = "Load the demo data (once; --force again) and list the demo accounts; 'generate' makes bulk volumes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", nargs="?", choices=["load", "generate"], default="load")
        parser.add_argument("--force", action="store_true", help="load every demo set again")
        parser.add_argument("--accounts-only", action="store_true", help="only list the demo accounts")
        parser.add_argument("--seed", type=int, default=20261122, help="random seed for generate")
        for name in demo_generators():
            parser.add_argument(f"--{name}", type=int, default=0, metavar="N", help=f"generate N {name}")
        parser.add_argument("--json", action="store_true", help="print JSON for programs")

    def handle(self, *args: Any, action: str, json: bool, **options: Any) -> None:
        if action == "generate":
            self._generate(options, as_json=json)
            return
        loaded: list[str] = []
        if not options["accounts_only"]:
            try:
                loaded = load_demo_data(force=options["force"])
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

    def _generate(self, options: dict[str, Any], *, as_json: bool) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo volumes cannot be generated in production.")
        results = {}
        for name, generate in demo_generators().items():
            if options.get(name):
                results[name] = generate(count=options[name], seed=options["seed"])
        if not results:
            raise CommandError(f"say what to generate: {', '.join('--' + n + ' N' for n in demo_generators())}")
        if as_json:
            emit_json(self, results)
        else:
            for name, figures in results.items():
                self.stdout.write(f"{name}: {figures}")
