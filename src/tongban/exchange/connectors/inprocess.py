"""The in-process connector: calls a WSGI application directly, without a socket. Tests use it with the
demo app (``set_inprocess_app``) to exercise the whole exchange path, slow and down providers included."""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.parse
from typing import Any, ClassVar

from tongban.exchange.connectors.base import (
    Connector,
    ConnectorError,
    ConnectorRequest,
    ProviderTimeout,
    ProviderUnavailable,
    RecordNotFound,
)
from tongban.exchange.demo_server.app import DemoDepartmentSystems, StartResponse

_app_lock = threading.Lock()
_app: Any = None


def set_inprocess_app(app: Any) -> None:
    global _app
    with _app_lock:
        _app = app


def inprocess_app() -> Any:
    global _app
    with _app_lock:
        if _app is None:
            _app = DemoDepartmentSystems()
        return _app


class InProcessConnector(Connector):
    name: ClassVar[str] = "inprocess"

    def fetch(self, request: ConnectorRequest) -> dict[str, Any]:
        status: list[int] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
            status.append(int(line.split()[0]))

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/" + request.path.strip("/"),
            "QUERY_STRING": "",
            "HTTP_X_SUBJECT_KIND": request.subject_kind,
            "HTTP_X_SUBJECT_REF": urllib.parse.quote(request.subject_ref),
            "wsgi.input": io.BytesIO(),
        }
        started = time.monotonic()
        respond: StartResponse = start_response
        body = b"".join(inprocess_app()(environ, respond))
        if time.monotonic() - started > request.timeout_s:
            raise ProviderTimeout(request.path)
        code = status[0] if status else 500
        if code == 404:
            raise RecordNotFound(request.path)
        if code >= 500:
            raise ProviderUnavailable(request.path)
        if code != 200:
            raise ConnectorError(f"{request.path}: {code}")
        data: dict[str, Any] = json.loads(body)["data"]
        return data
