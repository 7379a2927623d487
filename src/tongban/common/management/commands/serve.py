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
        parser.add_argument(
            "--threads",
            type=int,
            default=2,
            help="threads per process (default 2): a thread waiting on the database lets another one run, and "
            "connections are kept alive between requests; more threads wait longer for Python's lock (2 processes "
            "× 4 threads answered the staff queue's median 10–30%% slower than 4 × 2 on two cores); "
            "1 = one request at a time per process",
        )
        parser.add_argument("--reload", action="store_true", help="restart when code changes (development)")

    def handle(self, *args: Any, bind: str, workers: int, threads: int, reload: bool, **options: Any) -> None:
        argv = [
            sys.executable, "-m", "gunicorn", "tongban.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--timeout", "60",
            "--graceful-timeout", "10",  # requests are logged by RequestIdMiddleware, with their ids
        ]  # fmt: skip
        if threads > 1:
            argv += ["--worker-class", "gthread", "--threads", str(threads)]
        if os.path.isdir("/dev/shm"):  # noqa: S108  # the workers' heartbeat files: in memory, never blocked on a disk
            argv += ["--worker-tmp-dir", "/dev/shm"]  # noqa: S108
        if reload:
            argv.append("--reload")
        else:
            argv.append("--preload")  # load the app (and dictionaries) once, share it with every worker
            argv += ["--config", "python:tongban.common.gunicorn_config"]  # the garbage collector's settings
        self.stdout.write(f"Tongban web server on http://{bind}/ ({workers} workers × {threads} threads)")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  # replace this process: signals reach gunicorn directly
