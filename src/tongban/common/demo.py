"""Demo data: each context registers a loader here (from its AppConfig.ready), ``tongban demo`` runs them.

Loaders are idempotent; a :class:`DemoDataset` row records that a set was loaded so ``make run`` loads it
once. Demo data is refused in production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tongban.common.errors import DomainError
from tongban.common.models import DemoDataset


@dataclass(frozen=True)
class DemoAccount:
    role: str
    login: str
    password: str
    where: str


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    load: Callable[[], None]
    accounts: Callable[[], list[DemoAccount]]


_LOADERS: dict[str, DemoLoader] = {}
_GENERATORS: dict[str, Callable[..., dict[str, object]]] = {}


def register_demo_generator(name: str, generate: Callable[..., dict[str, object]]) -> None:
    """``tongban demo generate --<name> N`` calls ``generate(count=N, seed=…)`` (bulk volumes for benchmarks)."""
    _GENERATORS[name] = generate


def demo_generators() -> dict[str, Callable[..., dict[str, object]]]:
    return dict(_GENERATORS)


def register_demo_loader(loader: DemoLoader) -> None:
    _LOADERS[loader.name] = loader


def demo_loaders() -> list[DemoLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name))


def load_demo_data(*, force: bool = False) -> list[str]:
    """Run every loader not yet loaded (all of them with ``force``); return the names loaded now."""
    if settings.IS_PRODUCTION:
        raise DomainError(_("Demo data cannot be loaded in production."), code="demo_in_production")
    loaded = []
    for loader in demo_loaders():
        with transaction.atomic():
            if not force and DemoDataset.objects.filter(name=loader.name).exists():
                continue
            loader.load()
            DemoDataset.objects.get_or_create(name=loader.name)
        loaded.append(loader.name)
    return loaded


def demo_accounts() -> list[DemoAccount]:
    return [account for loader in demo_loaders() for account in loader.accounts()]
