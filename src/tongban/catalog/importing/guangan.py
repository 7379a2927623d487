"""广安区 item list (CSV: department, main_item, name, item_code, task_type, dept_code, area_code).

The file has no department codes of its own worth trusting (``dept_code`` is sometimes a 9-character
organisation code, sometimes truncated), so a department's code is the unified social credit code most often
embedded in its items' codes; every row's own ``dept_code`` is kept in ``source``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tongban.catalog.importing.records import ItemRecord, RowError
from tongban.catalog.models import ItemType

FORMAT = "guangan"
COLUMNS = ["department", "main_item", "name", "item_code", "task_type", "dept_code", "area_code"]

# Guang'an's own type codes (not Guangdong's).
TYPE_CODES: dict[str, str] = {
    "1": ItemType.LICENSING,
    "5": ItemType.BENEFIT,
    "7": ItemType.CONFIRMATION,
    "8": ItemType.REWARD,
    "9": ItemType.ADJUDICATION,
    "10": ItemType.OTHER_POWER,
    "20": ItemType.PUBLIC_SERVICE,
}
TYPE_CODE_OF = {value: key for key, value in TYPE_CODES.items()}
REGIONS = {
    "511602": [["510000", "四川省", 1], ["511600", "广安市", 2], ["511602", "广安区", 3]],
}
_CREDIT_CODE = re.compile(r"^[0-9][0-9A-Z]{17}$")


def _region_path(area_code: str) -> list[list[Any]]:
    code = area_code[:6]
    if code in REGIONS:
        return [list(level) for level in REGIONS[code]]
    if not re.fullmatch(r"\d{6}", code):
        raise RowError(f"area code {area_code!r} is not a GB/T 2260 code")
    return [[code, code, 3]]


def _basic_code(item_code: str, area_code: str) -> str:
    head, sep, _tail = item_code.partition(f"-{area_code}-")
    return head if sep else item_code.split("-")[0]


def department_codes(rows: list[dict[str, str]]) -> dict[str, str]:
    """One code per department name: the credit code most often embedded in its item codes."""
    embedded: dict[str, Counter[str]] = defaultdict(Counter)
    own: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        name = row.get("department") or ""
        embedded[name].update(part for part in (row.get("item_code") or "").split("-") if _CREDIT_CODE.match(part))
        if row.get("dept_code"):
            own[name][row["dept_code"]] += 1
    codes = {}
    for name in set(embedded) | set(own):
        counts = embedded[name] or own[name]
        best = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        codes[name] = best[0][0] if best else f"511602-{name}"
    return codes


def parse(row: dict[str, str], department_code: str) -> ItemRecord:
    missing = [column for column in COLUMNS if row.get(column) is None]
    if missing:
        raise RowError(f"missing columns: {', '.join(missing)}")
    if row["task_type"] not in TYPE_CODES:
        raise RowError(f"unknown Guang'an type code {row['task_type']!r}")
    extra = {key: value for key, value in row.items() if key not in COLUMNS and key is not None}
    record = ItemRecord(
        code=row["item_code"].strip(),
        basic_code=_basic_code(row["item_code"], row["area_code"]),
        region_path=_region_path(row["area_code"]),
        department_code=department_code,
        department_name=row["department"],
        name=row["name"],
        parent_name=row["main_item"],
        item_type=TYPE_CODES[row["task_type"]],
        source={"dept_code": row["dept_code"], "area_code": row["area_code"], **extra},
        source_format=FORMAT,
    )
    record.validate()
    return record


def unparse(record: ItemRecord) -> dict[str, str]:
    return {
        "department": record.department_name,
        "main_item": record.parent_name,
        "name": record.name,
        "item_code": record.code,
        "task_type": TYPE_CODE_OF[record.item_type],
        "dept_code": record.source["dept_code"],
        "area_code": record.source["area_code"],
    }


def read(path: Path) -> Iterator[tuple[int, ItemRecord | RowError]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not set(COLUMNS) <= set(reader.fieldnames):
            yield 1, RowError(f"the header must name the columns {', '.join(COLUMNS)}")
            return
        numbered = [(reader.line_num, row) for row in reader]
    codes = department_codes([row for _line, row in numbered])
    for line, row in numbered:
        try:
            yield line, parse(row, codes.get(row.get("department") or "", ""))
        except RowError as exc:
            yield line, exc
