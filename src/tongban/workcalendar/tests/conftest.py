import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from tongban.workcalendar.clock import WorkCalendar

HOLIDAYS = Path(settings.SHARED_DATA_DIR) / "holidays"


def official_calendar() -> WorkCalendar:
    """The calendar straight from the shared reference files, independent of the database."""
    years, exceptions = [], []
    for path in sorted(HOLIDAYS.glob("holiday-cn_[0-9]*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["days"]:
            years.append(document["year"])
            exceptions += [(date.fromisoformat(d["date"]), not d["isOffDay"]) for d in document["days"]]
    return WorkCalendar.build(years, exceptions)


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return official_calendar()
