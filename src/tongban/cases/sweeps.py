"""Deadline sweeps: keep every open case's warning light current, and recompute provisional due dates.

The light depends only on the due date and today, and remaining working days grow with the due date, so
the sweep is three set-based UPDATEs over date ranges — not a loop over cases — and stays fast at millions.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks import task

from tongban.cases import dates
from tongban.cases.models import OPEN_STAGES, Case, Warning
from tongban.common.public import log_event
from tongban.workcalendar.public import add_working_days, current_calendar, load_calendar

logger = logging.getLogger(__name__)


def thresholds(today: date) -> tuple[date, date]:
    """(last due date that is red, last due date that is yellow): overdue is before today; due within
    ``CASE_WARNING_DAYS`` working days is yellow."""
    soon = add_working_days(today, settings.CASE_WARNING_DAYS, current_calendar()).due
    return today - timedelta(days=1), soon


def warning_for(due: date | None, today: date) -> str:
    if due is None:
        return Warning.NONE
    red_until, yellow_until = thresholds(today)
    if due <= red_until:
        return Warning.RED
    return Warning.YELLOW if due <= yellow_until else Warning.GREEN


def sweep_warnings(today: date | None = None) -> dict[str, int]:
    """Set the light of every open case from its due date; returns how many rows each UPDATE changed."""
    today = today or dates.today()
    red_until, yellow_until = thresholds(today)
    open_cases = Case.objects.filter(stage__in=OPEN_STAGES, due__isnull=False)
    with transaction.atomic():
        changed = {
            "red": open_cases.filter(due__lte=red_until).exclude(warning=Warning.RED).update(warning=Warning.RED),
            "yellow": open_cases.filter(due__gt=red_until, due__lte=yellow_until)
            .exclude(warning=Warning.YELLOW)
            .update(warning=Warning.YELLOW),
            "green": open_cases.filter(due__gt=yellow_until)
            .exclude(warning=Warning.GREEN)
            .update(warning=Warning.GREEN),
        }
    log_event(logger, "deadline_sweep", today=today.isoformat(), **changed)
    return changed


@task(queue_name="sweeps")
def deadline_sweep() -> dict[str, int]:
    return sweep_warnings()


def recompute_provisional(year: int) -> int:
    """After ``year``'s schedule is published, recompute due dates that were provisional."""
    calendar = load_calendar()
    updated = 0
    for case in Case.objects.filter(due_provisional=True, accepted_on__isnull=False).iterator(chunk_size=500):
        accepted = case.accepted_on
        if accepted is None:
            continue
        shift = case.suspended_days + case.extended_days
        changes: dict[str, Any] = {"due_provisional": False}
        snapshot = case.item_snapshot
        for name in ("statutory", "promised"):
            days, unit = snapshot.get(f"{name}_limit_days"), snapshot.get(f"{name}_limit_unit") or "working"
            if days is None:
                continue
            if unit == "natural":
                changes[f"{name}_due"] = accepted + timedelta(days=days + shift)
                continue
            due = add_working_days(accepted, days + shift, calendar)
            changes[f"{name}_due"] = due.due
            changes["due_provisional"] = changes["due_provisional"] or due.provisional
        changes["due"] = changes.get("promised_due") or changes.get("statutory_due")
        Case.objects.filter(pk=case.pk).update(**changes)
        updated += 1
    log_event(logger, "provisional_due_dates_recomputed", year=year, cases=updated)
    return updated


@task(queue_name="sweeps")
def recompute_provisional_task(year: int) -> int:
    return recompute_provisional(year)
