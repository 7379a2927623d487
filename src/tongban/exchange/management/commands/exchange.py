"""``tongban exchange demo-server [--host 127.0.0.1] [--port 8801]``: the demo department-systems server."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongban.exchange.demo_server.server import make_demo_server


class Command(BaseCommand):
    help = "Data exchange tools. demo-server: serve the demo department systems (a separate process)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        server = sub.add_parser("demo-server", help="serve the demo department systems until Ctrl-C")
        server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        server.add_argument("--port", type=int, default=8801, help="port (default 8801)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        running = make_demo_server(options["host"], options["port"])
        self.stdout.write(f"demo department systems on {running.url}  — Ctrl-C stops it")
        self.stdout.flush()
        try:
            running.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            running.server.server_close()
