"""The population registry connector (人口库核验) used for real-name level 2. A plugin chosen by
``IDENTITY_POPULATION_REGISTRY``: the data-exchange context provides the real one
(``tongban.exchange.registry.ExchangePopulationRegistry``: a logged exchange call the person sees under "who
used my data"); the in-process demo registry here only knows the demo persons and needs no server."""

from __future__ import annotations

import abc

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.identity.demo_data import DEMO_PERSONS
from tongban.identity.models import User


class RegistryUnavailable(Exception):  # a condition, not a programming error
    """The registry could not be asked or did not answer (down, too slow, no subscription): no verdict."""


class PopulationRegistry(abc.ABC):
    @abc.abstractmethod
    def confirms(self, *, name: str, id_number: str, user: User) -> bool:
        """True when the registry holds a living person with exactly this name and ID number; False when it
        does not; :class:`RegistryUnavailable` when it gave no verdict. ``user`` is whose data is checked
        (the exchange logs the call against them)."""


class DemoPopulationRegistry(PopulationRegistry):
    def confirms(self, *, name: str, id_number: str, user: User) -> bool:
        return any(p.id_number == id_number and p.name == name for p in DEMO_PERSONS)


def get_registry() -> PopulationRegistry:
    registry: PopulationRegistry = import_string(settings.IDENTITY_POPULATION_REGISTRY)()
    return registry
