"""The population registry connector (人口库核验) used for real-name level 2. A plugin: the data-exchange
context will provide the real connector; the demo registry only knows the demo persons."""

from __future__ import annotations

import abc

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.identity.demo_data import DEMO_PERSONS


class PopulationRegistry(abc.ABC):
    @abc.abstractmethod
    def confirms(self, *, name: str, id_number: str) -> bool:
        """True when the registry holds a living person with exactly this name and ID number."""


class DemoPopulationRegistry(PopulationRegistry):
    def confirms(self, *, name: str, id_number: str) -> bool:
        return any(p.id_number == id_number and p.name == name for p in DEMO_PERSONS)


def get_registry() -> PopulationRegistry:
    registry: PopulationRegistry = import_string(settings.IDENTITY_POPULATION_REGISTRY)()
    return registry
