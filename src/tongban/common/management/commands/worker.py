from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tongban.common.jobs import record_heartbeat


class Command(BaseCommand):
    help = "Run a background job worker (Django tasks, database backend). Run as many as you like."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queues", default="*", help="comma-separated queue names (default: all)")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many jobs")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls when idle")

    def handle(self, *args: Any, queues: str, batch: bool, max_tasks: int | None, interval: float,
               **options: Any) -> None:  # fmt: skip
        record_heartbeat("worker", started=True)
        call_command(
            "db_worker",
            queue_name=queues,
            batch=batch,
            max_tasks=max_tasks,
            interval=interval,
            reload=False,
            startup_delay=not batch,
            verbosity=options["verbosity"],
        )
