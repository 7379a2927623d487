"""Connector plugins by name. ``DataResource.connector`` names one; tests and deployments may register more."""

from __future__ import annotations

from collections.abc import Callable

from tongban.exchange.connectors.base import Connector
from tongban.exchange.connectors.http import HttpJsonConnector
from tongban.exchange.connectors.inprocess import InProcessConnector

_FACTORIES: dict[str, Callable[[], Connector]] = {
    HttpJsonConnector.name: HttpJsonConnector,
    InProcessConnector.name: InProcessConnector,
}


def register_connector(name: str, factory: Callable[[], Connector]) -> None:
    _FACTORIES[name] = factory


def connector_names() -> list[str]:
    return sorted(_FACTORIES)


def get_connector(name: str) -> Connector:
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise LookupError(f"no exchange connector named {name!r}") from None
    return factory()
