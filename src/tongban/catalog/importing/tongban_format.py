"""Tongban's own exchange format: JSON Lines, one normalised :class:`ItemRecord` per line (what export writes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from tongban.catalog.importing.records import ItemRecord, RowError

FORMAT = "tongban"


def read(path: Path) -> Iterator[tuple[int, ItemRecord | RowError]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise RowError("the line is not a JSON object")
                record = ItemRecord.from_dict(data)
                record.validate()
                yield number, record
            except json.JSONDecodeError as exc:
                yield number, RowError(f"invalid JSON: {exc.msg}")
            except RowError as exc:
                yield number, exc


def dumps(record: ItemRecord) -> str:
    return json.dumps(record.as_dict(), ensure_ascii=False, sort_keys=True)
