"""`tongban catalog import/export`: JSON summary, re-importable JSON Lines, XLSX."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tongban.catalog import bundles_demo

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trip_through_the_command(tmp_path, capsys):
    bundles_demo.load()
    path = tmp_path / "catalog.jsonl"
    call_command("catalog", "export", str(path), "--json")
    assert json.loads(capsys.readouterr().out) == {"path": str(path), "format": "json", "items": 15}
    call_command("catalog", "import", str(path), "--format", "tongban", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["rows"], summary["created"], summary["changed"], summary["unchanged"]) == (15, 0, 0, 15)


def test_xlsx_export_has_a_header_and_one_row_per_item(tmp_path):
    bundles_demo.load()
    path = tmp_path / "catalog.xlsx"
    call_command("catalog", "export", str(path), "--format", "xlsx")
    rows = list(load_workbook(path, read_only=True)["事项目录"].iter_rows(values_only=True))
    assert rows[0][:3] == ("事项编码", "基本编码", "事项名称")
    assert len(rows) == 16
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["事项编码"], first["承诺办结时限"]) == ("DEMO-SC-0001", "1(工作日)")
    assert first["申请材料"].startswith("1. 居民身份证")


def test_import_of_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("catalog", "import", str(tmp_path / "nope.csv"), "--format", "guangan")
