"""The HTTP JSON connector: ``GET <base_url><path>`` with the subject in a header (never in the URL, so
proxies and access logs do not collect it), a time budget per call, retries with backoff for this
idempotent read, and the circuit breaker.

It speaks ``http.client`` directly: no opener chain and no proxy discovery per call, which matters when a
page makes eight calls at once.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Any, ClassVar

from tongban.exchange.connectors.base import (
    CircuitOpen,
    Connector,
    ConnectorError,
    ConnectorRequest,
    ProviderTimeout,
    ProviderUnavailable,
    RecordNotFound,
)
from tongban.exchange.connectors.breaker import CircuitBreaker, default_breaker

RETRYABLE_STATUS = frozenset({502, 503, 504})
BACKOFF_S = (0.05, 0.15)  # before the 2nd and 3rd attempt, when the budget still allows
_MIN_ATTEMPT_S = 0.02


class HttpJsonConnector(Connector):
    name: ClassVar[str] = "http"

    def __init__(self, breaker: CircuitBreaker | None = None) -> None:
        self.breaker = breaker or default_breaker()

    def fetch(self, request: ConnectorRequest) -> dict[str, Any]:
        url = request.base_url.rstrip("/") + "/" + request.path.lstrip("/")
        if not self.breaker.allow(url):
            raise CircuitOpen(url)
        try:
            data = self._with_retries(url, request)
        except RecordNotFound:
            self.breaker.success(url)  # the provider answered; the subject simply has no record
            raise
        except ConnectorError:
            self.breaker.failure(url)
            raise
        self.breaker.success(url)
        return data

    def _with_retries(self, url: str, request: ConnectorRequest) -> dict[str, Any]:
        deadline = time.monotonic() + request.timeout_s
        for attempt in range(len(BACKOFF_S) + 1):
            remaining = deadline - time.monotonic()
            if remaining < _MIN_ATTEMPT_S:
                raise ProviderTimeout(url)
            try:
                return self._once(url, request, remaining)
            except ProviderUnavailable:
                pause = BACKOFF_S[attempt] if attempt < len(BACKOFF_S) else None
                if pause is None or deadline - time.monotonic() - pause < _MIN_ATTEMPT_S:
                    raise
                time.sleep(pause)
        raise ProviderUnavailable(url)  # pragma: no cover  # the loop always returns or raises

    def _once(self, url: str, request: ConnectorRequest, timeout_s: float) -> dict[str, Any]:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ConnectorError(f"{url}: not an http(s) URL")
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname, parts.port, timeout=timeout_s)
        headers = {
            "Accept": "application/json",
            "X-Subject-Kind": request.subject_kind,
            "X-Subject-Ref": urllib.parse.quote(request.subject_ref),
            "X-Consumer": urllib.parse.quote(request.consumer_code),
            "X-Purpose": urllib.parse.quote(request.purpose),
            "X-Request-ID": request.request_id or "-",
        }
        try:
            connection.request("GET", parts.path or "/", headers=headers)
            response = connection.getresponse()
            status, body = response.status, response.read()
        except TimeoutError as exc:
            raise ProviderTimeout(url) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise ProviderUnavailable(f"{url}: {exc}") from exc
        finally:
            connection.close()
        return _parse(url, status, body)


def _parse(url: str, status: int, body: bytes) -> dict[str, Any]:
    if status == 404:
        raise RecordNotFound(url)
    if status in RETRYABLE_STATUS:
        raise ProviderUnavailable(f"{url}: HTTP {status}")
    if status != 200:
        raise ConnectorError(f"{url}: HTTP {status}")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise ConnectorError(f"{url}: not JSON") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise ConnectorError(f"{url}: no data object")
    data: dict[str, Any] = payload["data"]
    return data
