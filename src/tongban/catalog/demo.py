"""Demo data: both real catalogs from TONGBAN_SHARED_DATA_DIR (when present) and the demo bundles."""

from __future__ import annotations

from django.conf import settings

from tongban.catalog import bundles_demo, services

CATALOG_FILES = (
    ("catalogs/guangdong_provincial_items.jsonl", "guangdong"),
    ("catalogs/guangan_district_items.csv", "guangan"),
)


def load() -> None:
    for relative, format in CATALOG_FILES if settings.CATALOG_DEMO_IMPORT else ():
        path = settings.SHARED_DATA_DIR / relative
        if path.is_file():
            services.catalog_import(path=path, format=format)
    bundles_demo.load()
