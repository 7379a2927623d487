"""The connector interface. A connector fetches one resource record for one subject, or raises one of the
:class:`ConnectorError` kinds; the exchange service turns each kind into a logged call result."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class ConnectorRequest:
    resource_code: str
    base_url: str
    path: str
    subject_kind: str
    subject_ref: str  # sent to the provider only; never logged
    consumer_code: str
    purpose: str
    timeout_s: float  # the whole budget of this call, retries included
    request_id: str = ""


class ConnectorError(Exception):
    """A call that delivered nothing. ``result`` is the exchange log's result code."""

    result: ClassVar[str] = "unavailable"


class ProviderTimeout(ConnectorError):
    result = "timeout"


class ProviderUnavailable(ConnectorError):
    result = "unavailable"


class RecordNotFound(ConnectorError):
    result = "not_found"


class CircuitOpen(ConnectorError):
    result = "circuit_open"


class Connector(abc.ABC):
    name: ClassVar[str]

    @abc.abstractmethod
    def fetch(self, request: ConnectorRequest) -> dict[str, Any]:
        """Return the provider's record (a JSON object) or raise a :class:`ConnectorError`."""
