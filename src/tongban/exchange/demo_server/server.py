"""Serve the demo app over HTTP: a threaded ``wsgiref`` server bound to 127.0.0.1 by default."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from tongban.exchange.demo_server.app import DemoDepartmentSystems


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a delayed answer never keeps the process alive
    allow_reuse_address = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the stdlib's signature
        """Silent: request lines would only repeat paths; subjects travel in headers and are never printed."""


@dataclass
class RunningServer:
    app: DemoDepartmentSystems
    server: WSGIServer
    thread: threading.Thread | None

    @property
    def url(self) -> str:
        host = self.server.server_address[0]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{self.server.server_port}"

    def stop(self) -> None:
        self.app.reset()  # wake delayed answers
        self.server.shutdown()
        self.server.server_close()


def make_demo_server(
    host: str = "127.0.0.1", port: int = 8801, app: DemoDepartmentSystems | None = None
) -> RunningServer:
    app = app or DemoDepartmentSystems()
    server = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    return RunningServer(app=app, server=server, thread=None)


def start_in_thread(host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start on a free port (``port=0``) in a daemon thread; for tests and benchmarks."""
    running = make_demo_server(host, port)
    running.thread = threading.Thread(target=running.server.serve_forever, name="demo-server", daemon=True)
    running.thread.start()
    return running
