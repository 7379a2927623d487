import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server (gunicorn) on TONGBAN_BIND (default 127.0.0.1:8000)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default=settings.WEB_BIND, help="host:port (default: TONGBAN_BIND)")
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS, help="web processes")
        parser.add_argument("--reload", action="store_true", help="restart when code changes (development)")

    def handle(self, *args: Any, bind: str, workers: int, reload: bool, **options: Any) -> None:
        argv = [
            sys.executable, "-m", "gunicorn", "tongban.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--timeout", "60",
            "--graceful-timeout", "10",  # requests are logged by RequestIdMiddleware, with their ids
        ]  # fmt: skip
        if reload:
            argv.append("--reload")
        else:
            argv.append("--preload")  # load the app (and dictionaries) once, share it with every worker
        self.stdout.write(f"Tongban web server on http://{bind}/ ({workers} workers)")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  # replace this process: signals reach gunicorn directly
