"""Bad rows are reported with their line numbers and reasons; the good rows still import."""

from __future__ import annotations

import json

import pytest

from tongban.catalog import services
from tongban.catalog.importing.records import RowError, parse_limit
from tongban.catalog.models import Item, LimitUnit

pytestmark = pytest.mark.django_db

GOOD = {
    "TASK_CODE": "11440000006939756B2440101007000", "ORGCODE": "006939756", "TASK_TYPE_TEXT": "行政许可",
    "LIMIT_SCENE_NUM": "0", "TASK_STATE": None, "CATANAME": "示例", "DEPT_NAME": "广东省发展和改革委员会",
    "AREA_CODE_TEXT": "广东省", "parentCatalogId": "440101007000", "TASK_TYPE": "01", "TASK_NAME": "示例事项",
    "subTaskName": None, "parentCatalogName": "示例", "CATAID": "440101007000", "URL": None, "TASK_TAG": None,
    "AREACODE": "440000", "subCatalogName": "示例", "ONLINECHECK": "1", "matter_name": "示例事项",
    "visit_number": "0", "handle_location": "广州", "handle_time": "30(工作日)", "handle_time_limit": "15(自然日)",
    "accept_standard": "", "consult_phone": "020-1", "complain_phone": "020-2", "theme_category": ["其他"],
    "service_object_name": ["自然人"], "material_intro": ["申请书", "身份证"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20(工作日)", (20, LimitUnit.WORKING_DAYS)), ("无", (None, LimitUnit.WORKING_DAYS)),
     ("15(自然日)", (15, LimitUnit.NATURAL_DAYS)), ("", (None, LimitUnit.WORKING_DAYS)),
     ("20（工作日）", (20, LimitUnit.WORKING_DAYS))],
)  # fmt: skip
def test_parse_limit(text, expected):
    assert parse_limit(text) == expected


def test_parse_limit_rejects_prose():
    with pytest.raises(RowError):
        parse_limit("二十个工作日")


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_import(tmp_path):
    bad_type = dict(GOOD, TASK_CODE="11440000006939756B2440101007001", TASK_TYPE="99")
    bad_limit = dict(GOOD, TASK_CODE="11440000006939756B2440101007002", handle_time="很快")
    second = dict(GOOD, TASK_CODE="11440000006939756B2440101007003")
    lines = [json.dumps(GOOD), "{not json", json.dumps(bad_type), "", json.dumps(bad_limit), json.dumps(second),
             json.dumps(GOOD)]  # fmt: skip
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = services.catalog_import(path=path, format="guangdong")
    assert [e["line"] for e in report.errors] == [2, 3, 5, 7]
    reasons = [str(e["reason"]) for e in report.errors]
    assert "invalid JSON" in reasons[0]
    assert "99" in reasons[1]
    assert "很快" in reasons[2]
    assert "duplicate" in reasons[3]
    assert (report.created, report.rows) == (2, 6)
    version = Item.objects.get(code=GOOD["TASK_CODE"]).current_version
    assert version is not None
    assert (version.statutory_limit_days, version.promised_limit_days, version.promised_limit_unit) == (
        30, 15, LimitUnit.NATURAL_DAYS,
    )  # fmt: skip


def test_guangan_csv_with_a_bad_type_code(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(
        "department,main_item,name,item_code,task_type,dept_code,area_code\n"
        "区教科体局,未分类,学生资助政策咨询,512C0053300008-511602000000-000-115113010833722043-1-00,20,083372204,511602000000\n"
        "区教科体局,未分类,坏行,512C0053300009-511602000000-000-115113010833722043-1-00,77,083372204,511602000000\n",
        encoding="utf-8",
    )
    report = services.catalog_import(path=path, format="guangan")
    assert report.created == 1
    assert report.errors == [{"line": 3, "reason": "unknown Guang'an type code '77'"}]
    item = Item.objects.get(code__startswith="512C0053300008")
    assert item.department.code == "115113010833722043"
    assert item.current_version is not None
    assert item.current_version.source == {"dept_code": "083372204", "area_code": "511602000000"}
