"""``tongban run``: everything a developer needs on one terminal; Ctrl-C stops it all."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

ROLES = ("serve", "worker", "clock")
DEMO_ROLES = ("exchange-demo",)  # the demo department systems, outside production only


class Command(BaseCommand):
    help = (
        "Migrate, load demo data once, then run the web server, a job worker and the clock together "
        "(and, outside production, the demo department systems on port 8801)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
        parser.add_argument("--bind", default=settings.WEB_BIND, help="host:port for the web server")

    def handle(self, *args: Any, no_demo: bool, bind: str, **options: Any) -> None:
        (settings.DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        if not no_demo and not settings.IS_PRODUCTION:
            call_command("demo", stdout=self.stdout)
        children = self._start(bind)
        self.stdout.write(self.style.SUCCESS(f"Tongban is running on http://{bind}/  — Ctrl-C stops everything."))
        self.stdout.flush()
        code = self._supervise(children)
        if code:
            raise CommandError(f"a Tongban process stopped unexpectedly (exit {code})", returncode=code)

    def _start(self, bind: str) -> dict[str, subprocess.Popen[bytes]]:
        base = [sys.executable, "-m", "tongban.cli"]
        argv = {
            "serve": [*base, "serve", "--bind", bind],
            "worker": [*base, "worker"],
            "clock": [*base, "clock"],
            "exchange-demo": [*base, "exchange", "demo-server", "--port", "8801"],
        }
        roles = ROLES if settings.IS_PRODUCTION else ROLES + DEMO_ROLES
        return {role: subprocess.Popen(argv[role]) for role in roles}  # noqa: S603  # our own commands

    def _supervise(self, children: dict[str, subprocess.Popen[bytes]]) -> int:
        stopping = False

        def _request_stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, _request_stop)
        signal.signal(signal.SIGTERM, _request_stop)
        exit_code = 0
        while not stopping:
            for role, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"{role} exited with {child.returncode}; stopping the others")
                    exit_code = child.returncode or 1
                    stopping = True
            time.sleep(0.3)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("stopped")
        return exit_code
