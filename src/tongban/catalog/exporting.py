"""Exporting the catalog: JSON Lines in the ``tongban`` format (re-importable) and an XLSX workbook."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook

from tongban.catalog.importing import tongban_format
from tongban.catalog.importing.records import ItemRecord
from tongban.catalog.services import item_records

XLSX_COLUMNS = [
    ("code", "事项编码"),
    ("basic_code", "基本编码"),
    ("name", "事项名称"),
    ("sub_item_name", "办理项"),
    ("parent_name", "主项"),
    ("item_type", "事项类型"),
    ("department_name", "实施主体"),
    ("department_code", "实施主体编码"),
    ("statutory_limit_text", "法定办结时限"),
    ("promised_limit_text", "承诺办结时限"),
    ("online_depth", "网办深度"),
    ("visits", "到现场次数"),
    ("place", "办理地点"),
    ("consult_phone", "咨询电话"),
    ("complaint_phone", "监督投诉电话"),
    ("service_objects", "服务对象"),
    ("themes", "主题分类"),
    ("materials", "申请材料"),
    ("conditions", "受理条件"),
    ("source_format", "来源"),
    ("is_demo", "演示事项"),
]


def export_jsonl(stream: IO[str]) -> int:
    count = 0
    for record in item_records():
        stream.write(tongban_format.dumps(record) + "\n")
        count += 1
    return count


def _cell(record: ItemRecord, name: str) -> object:
    if name == "materials":
        return "\n".join(f"{i}. {m.name}" for i, m in enumerate(record.materials, start=1))
    if name == "region":
        return record.region_path[-1][1]
    value = getattr(record, name)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def export_xlsx(path: Path) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("事项目录")
    sheet.append([label for _name, label in XLSX_COLUMNS])
    count = 0
    for record in item_records():
        sheet.append([_cell(record, name) for name, _label in XLSX_COLUMNS])
        count += 1
    workbook.save(path)
    return count
