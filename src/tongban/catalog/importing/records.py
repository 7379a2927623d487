"""The normalised record every importer produces and every exporter writes (the ``tongban`` format).

A record is plain data (JSON-compatible). Its canonical JSON is hashed: re-importing a record whose hash equals
the current version's hash changes nothing; any difference creates and publishes a new version.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from tongban.catalog.models import ItemType, LimitUnit, OnlineDepth
from tongban.common.public import formschema

_LIMIT = re.compile(r"^\s*(\d+)\s*[（(]\s*(工作日|自然日)\s*[)）]\s*$")
NO_LIMIT_TEXTS = frozenset({"无", "无时限", "不限"})


class RowError(ValueError):
    """A source row that cannot be imported; the message says why."""


def parse_limit(text: str) -> tuple[int | None, str]:
    """``"20(工作日)"`` → (20, working); ``"15(自然日)"`` → (15, natural); ``"无"`` or ``""`` → (None, working)."""
    cleaned = (text or "").strip()
    if not cleaned or cleaned in NO_LIMIT_TEXTS:
        return None, LimitUnit.WORKING_DAYS.value
    match = _LIMIT.match(cleaned)
    if match is None:
        raise RowError(f"time limit {text!r} is neither 'N(工作日)', 'N(自然日)' nor '无'")
    unit = LimitUnit.WORKING_DAYS if match.group(2) == "工作日" else LimitUnit.NATURAL_DAYS
    return int(match.group(1)), unit.value


# Fields added after catalogs were first imported: left out of the hash while unset.
_ADDED_LATER: dict[str, Any] = {"commitment_text": "", "postcheck_days": None}


@dataclass
class MaterialRecord:
    name: str
    legal_basis: str = ""
    media: str = ""
    copies: int | None = None
    original: str = ""
    requirement: str = "required"
    notes: str = ""
    substitute: str = ""
    substitute_ref: str = ""


@dataclass
class ItemRecord:
    code: str
    basic_code: str
    region_path: list[list[Any]]  # [[code, name, level], …] from the province down to the item's region
    department_code: str
    department_name: str
    name: str
    item_type: str
    sub_item_name: str = ""
    parent_name: str = ""
    service_objects: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    legal_basis: str = ""
    conditions: str = ""
    statutory_limit_text: str = ""
    promised_limit_text: str = ""
    is_immediate: bool = False
    fees: str = ""
    online_depth: str = ""
    visits: int | None = None
    online_url: str = ""
    place: str = ""
    consult_phone: str = ""
    complaint_phone: str = ""
    faq: list[Any] = field(default_factory=list)
    form_schema: dict[str, Any] = field(default_factory=dict)
    form_ui: dict[str, Any] = field(default_factory=dict)
    stage_overrides: list[Any] = field(default_factory=list)
    commitment_text: str = ""
    postcheck_days: int | None = None
    materials: list[MaterialRecord] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)
    source_format: str = ""
    is_demo: bool = False

    def __post_init__(self) -> None:
        # The author's field order survives storage only as an array (jsonb sorts object keys).
        self.form_schema = formschema.with_order(self.form_schema)

    def validate(self) -> None:
        if not self.code.strip():
            raise RowError("the item code is empty")
        if len(self.code) > 80:
            raise RowError(f"the item code {self.code!r} is longer than 80 characters")
        if not self.name.strip():
            raise RowError("the item name is empty")
        if self.item_type not in ItemType.values:
            raise RowError(f"unknown item type {self.item_type!r}")
        if self.online_depth not in OnlineDepth.values:
            raise RowError(f"unknown online depth {self.online_depth!r}")
        if not self.department_name.strip() or not self.department_code.strip():
            raise RowError("the implementing department is missing")
        if not self.region_path:
            raise RowError("the region is missing")
        parse_limit(self.statutory_limit_text)
        parse_limit(self.promised_limit_text)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def content_hash(self) -> str:
        data = self.as_dict()
        for name, default in _ADDED_LATER.items():  # unset fields added later keep earlier hashes (no new version)
            if data.get(name) == default:
                data.pop(name)
        canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ItemRecord:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise RowError(f"unknown fields: {', '.join(sorted(unknown))}")
        values = dict(data)
        values["materials"] = [MaterialRecord(**m) for m in values.get("materials", [])]
        try:
            return cls(**values)
        except TypeError as exc:
            raise RowError(str(exc)) from exc
