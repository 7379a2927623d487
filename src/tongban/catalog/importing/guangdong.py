"""广东省政务服务网 item export (JSON Lines, one item per line; scraped 2021).

Mapped fields become model fields; every other field is kept verbatim in ``source``. :func:`unparse` rebuilds
the original row from a record, which is how the lossless-import test proves nothing was dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tongban.catalog.importing.records import ItemRecord, MaterialRecord, RowError
from tongban.catalog.models import ItemType, OnlineDepth

FORMAT = "guangdong"

# Guangdong's own type codes (they differ from Guang'an's, see shared/data/README.md).
TYPE_CODES: dict[str, str] = {
    "01": ItemType.LICENSING,
    "05": ItemType.BENEFIT,
    "07": ItemType.CONFIRMATION,
    "08": ItemType.REWARD,
    "09": ItemType.ADJUDICATION,
    "20": ItemType.OTHER_POWER,
    "21": ItemType.PUBLIC_SERVICE,
}
TYPE_CODE_OF = {value: key for key, value in TYPE_CODES.items()}
PROVINCE = ["440000", "广东省", 1]

MAPPED = [
    "TASK_CODE",
    "CATAID",
    "DEPT_NAME",
    "AREACODE",
    "AREA_CODE_TEXT",
    "TASK_NAME",
    "subTaskName",
    "parentCatalogName",
    "TASK_TYPE",
    "accept_standard",
    "handle_time",
    "handle_time_limit",
    "visit_number",
    "URL",
    "handle_location",
    "consult_phone",
    "complain_phone",
]


def _online_depth(row: dict[str, Any], visits: int) -> str:
    if row.get("ONLINECHECK") != "1":
        return OnlineDepth.ON_SITE.value
    return OnlineDepth.FULLY_ONLINE.value if visits == 0 else OnlineDepth.AT_MOST_ONCE.value


def _region_path(row: dict[str, Any]) -> list[list[Any]]:
    code, name = str(row["AREACODE"]), str(row["AREA_CODE_TEXT"])
    if code == PROVINCE[0]:
        return [list(PROVINCE)]
    if code.startswith("44") and code.endswith("00"):
        return [list(PROVINCE), [code, name, 2]]
    return [list(PROVINCE), [code[:4] + "00", "", 2], [code, name, 3]]


def parse(row: dict[str, Any]) -> ItemRecord:
    try:
        code = str(row["TASK_CODE"])
        visits = int(row["visit_number"])
        materials_raw = row["material_intro"]
        type_code = str(row["TASK_TYPE"])
        if type_code not in TYPE_CODES:
            raise RowError(f"unknown Guangdong type code {type_code!r}")
        source = {key: value for key, value in row.items() if key not in MAPPED}
        materials: list[MaterialRecord] = []
        if isinstance(materials_raw, list):
            del source["material_intro"]
            materials = [MaterialRecord(name=str(name)) for name in materials_raw]
        record = ItemRecord(
            code=code,
            basic_code=str(row["CATAID"]),
            region_path=_region_path(row),
            department_code=code[:18],
            department_name=str(row["DEPT_NAME"]),
            name=str(row["TASK_NAME"]),
            sub_item_name=row["subTaskName"] or "",
            parent_name=str(row["parentCatalogName"]),
            item_type=TYPE_CODES[type_code],
            service_objects=list(row["service_object_name"]),
            themes=list(row["theme_category"]),
            conditions=str(row["accept_standard"]),
            statutory_limit_text=str(row["handle_time"]),
            promised_limit_text=str(row["handle_time_limit"]),
            online_depth=_online_depth(row, visits),
            visits=visits,
            online_url=row["URL"] or "",
            place=str(row["handle_location"]),
            consult_phone=str(row["consult_phone"]),
            complaint_phone=str(row["complain_phone"]),
            materials=materials,
            source=source,
            source_format=FORMAT,
        )
    except KeyError as exc:
        raise RowError(f"missing field {exc.args[0]!r}") from exc
    except (TypeError, ValueError) as exc:
        if isinstance(exc, RowError):
            raise
        raise RowError(str(exc)) from exc
    record.validate()
    return record


def unparse(record: ItemRecord) -> dict[str, Any]:
    """The original row, rebuilt from a record (inverse of :func:`parse`)."""
    row = dict(record.source)
    row.update(
        TASK_CODE=record.code,
        CATAID=record.basic_code,
        DEPT_NAME=record.department_name,
        AREACODE=record.region_path[-1][0],
        AREA_CODE_TEXT=record.region_path[-1][1],
        TASK_NAME=record.name,
        subTaskName=record.sub_item_name or None,
        parentCatalogName=record.parent_name,
        TASK_TYPE=TYPE_CODE_OF[record.item_type],
        accept_standard=record.conditions,
        handle_time=record.statutory_limit_text,
        handle_time_limit=record.promised_limit_text,
        visit_number=str(record.visits),
        URL=record.online_url or None,
        handle_location=record.place,
        consult_phone=record.consult_phone,
        complain_phone=record.complaint_phone,
        service_object_name=list(record.service_objects),
        theme_category=list(record.themes),
    )
    if "material_intro" not in row:
        row["material_intro"] = [m.name for m in record.materials]
    return row


def read(path: Path) -> Iterator[tuple[int, ItemRecord | RowError]]:
    """(line number, record or the reason the line is bad) for every non-blank line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise RowError("the line is not a JSON object")
                yield number, parse(row)
            except json.JSONDecodeError as exc:
                yield number, RowError(f"invalid JSON: {exc.msg}")
            except RowError as exc:
                yield number, exc
