import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import TaskResultStatus

from tongban.common.jobs import ping
from tongban.common.management.commands._output import emit_json


class Command(BaseCommand):
    help = "Job queue tools. 'tongban jobs ping' enqueues a test job and waits for a worker to run it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["ping"])
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a worker")
        parser.add_argument("--json", action="store_true", help="print JSON for programs")

    def handle(self, *args: Any, action: str, timeout: float, json: bool, **options: Any) -> None:
        started = time.monotonic()
        result = ping.enqueue("pong")
        while time.monotonic() - started < timeout:
            result.refresh()
            if result.is_finished:
                break
            time.sleep(0.2)
        payload = {
            "job_id": str(result.id),
            "status": str(result.status),
            "return_value": result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None,
            "seconds": round(time.monotonic() - started, 2),
        }
        if json:
            emit_json(self, payload)
        else:
            self.stdout.write(f"job {payload['job_id']}: {payload['status']} in {payload['seconds']} s")
        if result.status != TaskResultStatus.SUCCESSFUL:
            raise CommandError("no worker ran the test job in time (is 'tongban worker' running?)")
