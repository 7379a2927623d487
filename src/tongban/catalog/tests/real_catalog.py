"""Both real catalogs imported for the tests of one module: imported once inside an outer transaction that is
rolled back when the module ends, so no other test ever sees it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from tongban.catalog import services

GUANGDONG = Path(settings.SHARED_DATA_DIR) / "catalogs" / "guangdong_provincial_items.jsonl"
GUANGAN = Path(settings.SHARED_DATA_DIR) / "catalogs" / "guangan_district_items.csv"


@dataclass
class RealCatalog:
    guangdong: services.ImportReport
    guangan: services.ImportReport


class _Rollback(Exception):
    pass


def imported_real_catalog(django_db_blocker) -> Iterator[RealCatalog]:
    """Body of a module-scoped fixture: ``yield from imported_real_catalog(django_db_blocker)``."""
    if not (GUANGDONG.is_file() and GUANGAN.is_file()):
        pytest.skip(f"the real catalogs are not in {settings.SHARED_DATA_DIR}")
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield RealCatalog(
                    guangdong=services.catalog_import(path=GUANGDONG, format="guangdong"),
                    guangan=services.catalog_import(path=GUANGAN, format="guangan"),
                )
                raise _Rollback
        except _Rollback:
            pass
