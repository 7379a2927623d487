"""``tongban calendar``: the legal clock from the command line, and loading newly published years."""

from __future__ import annotations

import json as jsonlib
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.common.public import DomainError
from tongban.workcalendar import selectors, services
from tongban.workcalendar.clock import add_working_days, working_days_between
from tongban.workcalendar.schedules import read_schedule_file


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Working-day calendar: add-workdays, between, day, years, load."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        add = sub.add_parser("add-workdays", help="the N-th working day after DATE (DATE not counted)")
        add.add_argument("date")
        add.add_argument("days", type=int)
        between = sub.add_parser("between", help="working days in (START, END]")
        between.add_argument("start")
        between.add_argument("end")
        day = sub.add_parser("day", help="is DATE a working day, and why")
        day.add_argument("date")
        sub.add_parser("years", help="the published years and their sources")
        load = sub.add_parser("load", help="load official schedule files (holiday-cn JSON)")
        load.add_argument("paths", nargs="+", type=Path)
        for subparser in (add, between, day, load, sub.choices["years"]):
            subparser.add_argument("--json", action="store_true", help="print JSON for programs")

    def handle(self, *args: Any, action: str, json: bool, **options: Any) -> None:
        try:
            payload = getattr(self, "_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if json:
            self.stdout.write(jsonlib.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(f"{key}: {value}" for key, value in payload.items()))

    def _add_workdays(self, *, date: str, days: int, **options: Any) -> dict[str, Any]:
        due = add_working_days(_date(date), days, selectors.load_calendar())
        return {"due": due.due.isoformat(), "provisional": due.provisional}

    def _between(self, *, start: str, end: str, **options: Any) -> dict[str, Any]:
        count = working_days_between(_date(start), _date(end), selectors.load_calendar())
        return {"working_days": count.days, "provisional": count.provisional}

    def _day(self, *, date: str, **options: Any) -> dict[str, Any]:
        day = _date(date)
        calendar = selectors.load_calendar()
        entry = next((d for d in selectors.exceptions_in_year(day.year) if d.date == day), None)
        return {
            "date": day.isoformat(),
            "workday": entry.is_workday if entry else day.weekday() < 5,
            "reason": entry.name if entry else ("weekday" if day.weekday() < 5 else "weekend"),
            "provisional": not calendar.is_published(day.year),
        }

    def _years(self, **options: Any) -> dict[str, Any]:
        return {"years": [{"year": y.year, "source": y.source} for y in selectors.published_years()]}

    def _load(self, *, paths: list[Path], **options: Any) -> dict[str, Any]:
        loaded = []
        for path in paths:
            schedule = read_schedule_file(path)
            services.calendar_year_load(schedule=schedule)
            loaded.append({"year": schedule.year, "exceptions": len(schedule.days)})
        return {"loaded": loaded}
