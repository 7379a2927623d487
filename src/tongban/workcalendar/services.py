"""The only writers of the calendar. Each change is audited and invalidates this process's cached calendar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.common.public import DomainError, log_event, record_audit
from tongban.workcalendar import selectors
from tongban.workcalendar.models import CalendarDay, CalendarYear
from tongban.workcalendar.schedules import YearSchedule

logger = logging.getLogger(__name__)
_year_listeners: list[Callable[[int], None]] = []


def on_year_published(listener: Callable[[int], None]) -> None:
    """Call ``listener(year)`` after a year's schedule is loaded (cases recompute provisional deadlines)."""
    _year_listeners.append(listener)


def _day_state(day: CalendarDay | None) -> dict[str, Any] | None:
    return None if day is None else {"is_workday": day.is_workday, "name": day.name}


def calendar_year_load(*, schedule: YearSchedule, actor: Any = None) -> CalendarYear:
    """Load (or replace) a year's published schedule in one transaction."""
    if not schedule.is_published:
        raise DomainError(
            _("The file for %(year)s lists no days: its schedule is not published yet.") % {"year": schedule.year},
            code="schedule_empty",
        )
    with transaction.atomic():
        existing = CalendarDay.objects.filter(date__year=schedule.year)
        before = {d.date.isoformat(): _day_state(d) for d in existing}
        existing.delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, is_workday=is_workday, name=name) for day, is_workday, name in schedule.days
        )
        year, _created = CalendarYear.objects.update_or_create(
            year=schedule.year, defaults={"source": schedule.source[:500]}
        )
        after = {day.isoformat(): {"is_workday": w, "name": n} for day, w, n in schedule.days}
        record_audit(
            actor=actor, action="calendar.year_loaded", object_type="calendar_year", object_id=schedule.year,
            before=before or None, after=after,
        )  # fmt: skip
        transaction.on_commit(lambda: _after_change(schedule.year, notify=True))
    log_event(logger, "calendar_year_loaded", year=schedule.year, exceptions=len(schedule.days))
    return year


def calendar_day_set(*, day: date, is_workday: bool, name: str, actor: Any) -> CalendarDay:
    """Mark one date as a holiday or a make-up working day (an administrator's correction)."""
    if not CalendarYear.objects.filter(year=day.year).exists():
        raise DomainError(
            _("Load the published schedule for %(year)s before editing its days.") % {"year": day.year},
            fields={"date": _("This year has no published schedule.")},
        )
    with transaction.atomic():
        current = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = _day_state(current)
        entry, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"is_workday": is_workday, "name": name}
        )
        record_audit(
            actor=actor, action="calendar.day_set", object_type="calendar_day", object_id=day.isoformat(),
            before=before, after=_day_state(entry),
        )  # fmt: skip
        transaction.on_commit(lambda: _after_change(day.year, notify=False))
    return entry


def calendar_day_remove(*, day: date, actor: Any) -> None:
    """Return a date to the weekday rule."""
    with transaction.atomic():
        current = CalendarDay.objects.select_for_update().filter(date=day).first()
        if current is None:
            return
        before = _day_state(current)
        current.delete()
        record_audit(
            actor=actor, action="calendar.day_removed", object_type="calendar_day", object_id=day.isoformat(),
            before=before, after=None,
        )  # fmt: skip
        transaction.on_commit(lambda: _after_change(day.year, notify=False))


def _after_change(year: int, *, notify: bool) -> None:
    selectors.forget_cached_calendar()
    if notify:
        for listener in _year_listeners:
            listener(year)
