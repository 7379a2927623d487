"""Periodic jobs of the licenses context (named in tongban/schedule.py by dotted path)."""

from __future__ import annotations

from django_tasks import task

from tongban.licenses.services import license_expiry_sweep


@task(queue_name="sweeps")
def expiry_reminders() -> dict[str, int]:
    """Daily: mark expired licenses, remind holders 30 days before expiry (each license once)."""
    return license_expiry_sweep()
