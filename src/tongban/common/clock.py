"""The clock process: enqueues periodic jobs at their slots. Schedules are declared in ``tongban.schedule``.

Each firing inserts a :class:`ClockSlot` row whose (schedule, slot) pair is unique, and enqueues the job
in the same transaction; so two clock processes (say, during a rolling deploy) never enqueue one slot
twice, and a crash between the two writes leaves neither.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tongban.common.jobs import record_heartbeat
from tongban.common.logging import log_event
from tongban.common.models import ClockSlot

logger = logging.getLogger(__name__)
_EPOCH_DATE = (2000, 1, 1)


@dataclass(frozen=True)
class Schedule:
    """Run ``task`` (a dotted path to a django-tasks task) every ``every``.

    Slots are aligned to local midnight (Asia/Shanghai) plus ``offset``: ``every=1 day, offset=3 h``
    fires once a day at 03:00; ``every=30 s`` fires on the half minute.
    """

    name: str
    task: str
    every: timedelta
    offset: timedelta = timedelta(0)
    kwargs: dict[str, Any] = field(default_factory=dict)

    def slot_start(self, now: datetime) -> datetime:
        zone = ZoneInfo(settings.TIME_ZONE)
        epoch = datetime(*_EPOCH_DATE, tzinfo=zone) + self.offset
        return epoch + ((now.astimezone(zone) - epoch) // self.every) * self.every


def fire_due(schedules: Iterable[Schedule], now: datetime) -> list[str]:
    """Enqueue every schedule whose current slot has not fired yet; return the names fired."""
    fired = []
    for schedule in schedules:
        slot = schedule.slot_start(now)
        try:
            with transaction.atomic():
                marker = ClockSlot.objects.create(schedule=schedule.name, slot_start=slot)
                result = import_string(schedule.task).enqueue(**schedule.kwargs)
                marker.task_result_id = str(result.id)
                marker.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another clock process fired this slot
        fired.append(schedule.name)
        log_event(logger, "clock_fired", schedule=schedule.name, slot=slot.isoformat())
    return fired


def run_clock(schedules: Iterable[Schedule], stop: threading.Event, tick_seconds: float = 1.0) -> None:
    schedules = tuple(schedules)
    log_event(logger, "clock_started", schedules=len(schedules))
    last_beat = 0.0
    while not stop.is_set():
        now = timezone.now()
        fire_due(schedules, now)
        if now.timestamp() - last_beat >= 10:
            record_heartbeat("clock", schedules=len(schedules))
            last_beat = now.timestamp()
        stop.wait(tick_seconds)
    log_event(logger, "clock_stopped")
