"""Both real catalogs import with nothing lost, re-import is a no-op, and a JSON export re-imports identically.

Everything is compared with the source files read independently here (plain json/csv, no importer code)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from typing import Any

import pytest
from django.db.models import F

from tongban.catalog import exporting, services
from tongban.catalog.importing import guangan, guangdong
from tongban.catalog.importing.load import record_of
from tongban.catalog.models import CatalogChange, Item, ItemType, ItemVersion, Material
from tongban.catalog.tests.real_catalog import GUANGAN, GUANGDONG, imported_real_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker):
    yield from imported_real_catalog(django_db_blocker)


GD_TYPES = {"01": "licensing", "05": "benefit", "07": "confirmation", "08": "reward", "09": "adjudication",
            "20": "other_power", "21": "public_service"}  # fmt: skip
GA_TYPES = {"1": "licensing", "5": "benefit", "7": "confirmation", "8": "reward", "9": "adjudication",
            "10": "other_power", "20": "public_service"}  # fmt: skip


def gd_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GUANGDONG.read_text(encoding="utf-8").splitlines() if line.strip()]


def ga_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(GUANGAN.read_text(encoding="utf-8"))))


def expected_days(text: str) -> int | None:
    if text == "无":
        return None
    match = re.fullmatch(r"(\d+)\((工作日|自然日)\)", text)
    assert match, text
    return int(match.group(1))


def current_versions(source_format: str) -> dict[str, ItemVersion]:
    versions = (
        ItemVersion.objects.filter(item__current_version=F("pk"), item__source_format=source_format)
        .select_related("item__department", "item__region__parent__parent")
        .prefetch_related("materials")
    )
    return {v.item.code: v for v in versions}


def test_reports_count_every_row(real_catalog):
    assert (real_catalog.guangdong.rows, real_catalog.guangdong.created, real_catalog.guangdong.errors) == (
        2262,
        2262,
        [],
    )
    assert (real_catalog.guangan.rows, real_catalog.guangan.created, real_catalog.guangan.errors) == (1135, 1135, [])
    assert Item.objects.count() == 3397
    assert ItemVersion.objects.count() == 3397


def test_guangdong_is_lossless(real_catalog):
    rows = gd_rows()
    versions = current_versions("guangdong")
    assert set(versions) == {row["TASK_CODE"] for row in rows}
    for row in rows:
        version = versions[row["TASK_CODE"]]
        # Every source field, rebuilt from what is stored, equals the file's row.
        assert guangdong.unparse(record_of(version)) == row
        assert version.statutory_limit_days == expected_days(row["handle_time"])
        assert version.promised_limit_days == expected_days(row["handle_time_limit"])
        assert version.statutory_limit_text == row["handle_time"]
        assert version.item_type == GD_TYPES[row["TASK_TYPE"]]
        assert version.item.department.name == row["DEPT_NAME"]
        assert version.item.department.code == row["TASK_CODE"][:18]
        materials = row["material_intro"] if isinstance(row["material_intro"], list) else []
        assert [m.name for m in version.materials.all()] == materials
    assert sum(1 for v in versions.values() if v.statutory_limit_days is None) == 713


def test_guangan_is_lossless(real_catalog):
    rows = ga_rows()
    versions = current_versions("guangan")
    assert set(versions) == {row["item_code"] for row in rows}
    for row in rows:
        version = versions[row["item_code"]]
        assert guangan.unparse(record_of(version)) == row
        assert version.item_type == GA_TYPES[row["task_type"]]
        assert version.item.department.name == row["department"]
        assert version.item.region_id == "511602"
    assert len({v.item.department_id for v in versions.values()}) == 34


def test_theme_and_service_object_browsing_tables_match_the_source(real_catalog):
    rows = gd_rows()
    by_theme = Counter(theme for row in rows for theme in dict.fromkeys(row["theme_category"]))
    versions = current_versions("guangdong")
    assert ItemVersion.themes.through.objects.filter(itemversion__in=versions.values()).count() == sum(
        by_theme.values()
    )


def test_reimport_changes_nothing(real_catalog):
    versions, changes, materials = ItemVersion.objects.count(), CatalogChange.objects.count(), Material.objects.count()
    for path, format in ((GUANGDONG, "guangdong"), (GUANGAN, "guangan")):
        report = services.catalog_import(path=path, format=format)
        assert (report.created, report.changed, report.unchanged) == (0, 0, report.rows)
    assert (ItemVersion.objects.count(), CatalogChange.objects.count(), Material.objects.count()) == (
        versions, changes, materials,
    )  # fmt: skip


def test_json_export_reimports_to_an_identical_catalog(real_catalog, tmp_path):
    first = tmp_path / "catalog.jsonl"
    with first.open("w", encoding="utf-8") as stream:
        assert exporting.export_jsonl(stream) == 3397
    # Into the same catalog: nothing changes.
    report = services.catalog_import(path=first, format="tongban")
    assert (report.created, report.changed, report.unchanged, report.errors) == (0, 0, 3397, [])
    # Into an empty catalog: exporting again gives the same bytes.
    Item.objects.update(current_version=None)
    ItemVersion.objects.all().delete()
    Item.objects.all().delete()
    report = services.catalog_import(path=first, format="tongban")
    assert (report.created, report.errors) == (3397, [])
    second = tmp_path / "again.jsonl"
    with second.open("w", encoding="utf-8") as stream:
        exporting.export_jsonl(stream)
    assert second.read_bytes() == first.read_bytes()


def test_a_changed_row_creates_a_new_version_and_keeps_the_old(real_catalog, tmp_path):
    row = gd_rows()[0]
    row["handle_time_limit"] = "3(工作日)"
    changed = tmp_path / "one.jsonl"
    changed.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    report = services.catalog_import(path=changed, format="guangdong")
    assert (report.created, report.changed, report.unchanged) == (0, 1, 0)
    item = Item.objects.get(code=row["TASK_CODE"])
    assert item.current_version is not None
    assert item.current_version.number == 2
    assert item.current_version.promised_limit_days == 3
    old = item.versions.get(number=1)
    assert (old.status, old.promised_limit_text) == (ItemVersion.Status.SUPERSEDED, "7(工作日)")
    assert CatalogChange.objects.filter(item_code=item.code, action="import_changed", version_number=2).exists()


def test_item_types_cover_every_type(real_catalog):
    assert set(ItemVersion.objects.values_list("item_type", flat=True)) == set(ItemType.values)
