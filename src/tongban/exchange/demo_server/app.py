"""The demo server as a WSGI application (standard library only).

Reads: ``GET /<path>`` (for example ``/population/household``) with headers ``X-Subject-Kind`` (person or
enterprise) and ``X-Subject-Ref`` (the subject key) → ``200 {"data": {...}}`` or ``404``. ``?delay_ms=N``
delays one answer.

Behaviour for tests and demos (per path, or ``"*"`` for all):
``POST /_admin/behaviour {"path": "tax/individual", "delay_ms": 3000}`` makes it slow,
``{"path": "...", "down": true}`` makes it answer 503, ``POST /_admin/reset`` clears everything,
``GET /_admin/behaviour`` shows the current settings and ``GET /healthz`` answers ``{"status": "ok"}``.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from tongban.exchange.demo_server import data

StartResponse = Callable[..., Any]
_MAX_DELAY_MS = 120_000


@dataclass
class Behaviour:
    delay_ms: int = 0
    down: bool = False


class DemoDepartmentSystems:
    """Callable WSGI app. Thread-safe; a reset wakes every delayed answer at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._behaviour: dict[str, Behaviour] = {}
        self._wake = threading.Event()
        self.calls = 0

    # -- behaviour -------------------------------------------------------------------------------------------
    def set_behaviour(self, path: str, *, delay_ms: int = 0, down: bool = False) -> None:
        with self._lock:
            self._behaviour[path.strip("/") or "*"] = Behaviour(max(0, min(delay_ms, _MAX_DELAY_MS)), down)

    def reset(self) -> None:
        with self._lock:
            self._behaviour.clear()
            self._wake.set()
            self._wake = threading.Event()

    def behaviour_for(self, path: str) -> Behaviour:
        with self._lock:
            return self._behaviour.get(path) or self._behaviour.get("*") or Behaviour()

    # -- WSGI ------------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = str(environ.get("PATH_INFO", "/")).strip("/")
        if path == "healthz":
            return _json(start_response, 200, {"status": "ok"})
        if path.startswith("_admin/"):
            return self._admin(method, path.removeprefix("_admin/"), environ, start_response)
        if method != "GET":
            return _json(start_response, 405, {"error": "method_not_allowed"})
        return self._read(path, environ, start_response)

    def _read(self, path: str, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        with self._lock:
            self.calls += 1
            wake = self._wake
        if path not in data.known_paths():
            return _json(start_response, 404, {"error": "unknown_resource"})
        behaviour = self.behaviour_for(path)
        query = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")))
        delay_ms = behaviour.delay_ms + _int(query.get("delay_ms", ["0"])[0])
        if delay_ms:
            wake.wait(min(delay_ms, _MAX_DELAY_MS) / 1000)
        if behaviour.down:
            return _json(start_response, 503, {"error": "down"})
        kind = str(environ.get("HTTP_X_SUBJECT_KIND", "person"))
        ref = urllib.parse.unquote(str(environ.get("HTTP_X_SUBJECT_REF", "")))
        if not ref:
            return _json(start_response, 400, {"error": "subject_missing"})
        found = data.record(path, kind, ref)
        if found is None:
            return _json(start_response, 404, {"error": "no_record"})
        return _json(start_response, 200, {"data": found})

    def _admin(
        self, method: str, action: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if action == "reset" and method == "POST":
            self.reset()
            return _json(start_response, 200, {"reset": True})
        if action == "behaviour" and method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(length) or b"{}")
                self.set_behaviour(
                    str(body.get("path", "*")), delay_ms=int(body.get("delay_ms", 0)), down=bool(body.get("down"))
                )
            except (ValueError, TypeError, AttributeError):
                return _json(start_response, 400, {"error": "bad_behaviour"})
            return _json(start_response, 200, {"ok": True})
        if action == "behaviour" and method == "GET":
            with self._lock:
                current = {path: asdict(b) for path, b in self._behaviour.items()}
            return _json(start_response, 200, {"behaviour": current, "calls": self.calls})
        return _json(start_response, 404, {"error": "unknown_admin_action"})


def _int(value: str) -> int:
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def _json(start_response: StartResponse, status: int, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}
    start_response(
        f"{status} {reasons.get(status, 'Error')}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
