"""Reading the official schedule files (holiday-cn JSON: {"year", "papers", "days": [{date, name, isOffDay}]})."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tongban.common.public import DomainError

BUNDLED_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: str
    days: tuple[tuple[date, bool, str], ...]  # (date, is_workday, holiday name)

    @property
    def is_published(self) -> bool:
        return bool(self.days)


def parse_schedule(document: dict[str, Any], *, origin: str = "") -> YearSchedule:
    try:
        year = int(document["year"])
        days = tuple(
            (date.fromisoformat(day["date"]), not bool(day["isOffDay"]), str(day["name"])[:60])
            for day in document["days"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(
            _("%(origin)s is not a holiday schedule file: %(error)s")
            % {"origin": origin or _("The file"), "error": exc}
        ) from exc
    wrong_year = [d for d, _w, _n in days if d.year != year]
    if wrong_year:
        raise DomainError(_("%(date)s does not belong to %(year)s") % {"date": wrong_year[0], "year": year})
    papers = document.get("papers") or []
    return YearSchedule(year, "; ".join(papers) or origin, days)


def read_schedule_file(path: Path) -> YearSchedule:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError(_("Cannot read %(path)s: %(error)s") % {"path": path.name, "error": exc}) from exc
    return parse_schedule(document, origin=path.name)


def bundled_schedules() -> list[YearSchedule]:
    """The published years shipped with Tongban (see data/README.md)."""
    schedules = [read_schedule_file(path) for path in sorted(BUNDLED_DIR.glob("holiday-cn_[0-9]*.json"))]
    return [schedule for schedule in schedules if schedule.is_published]
