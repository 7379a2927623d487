"""What /healthz and ``tongban health`` report: database, job queue, message delivery, worker and clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tongban import __version__
from tongban.common.models import Heartbeat, Message
from tongban.common.notifications import MAX_DELIVERY_ATTEMPTS


@dataclass
class Check:
    ok: bool
    critical: bool
    detail: dict[str, Any] = field(default_factory=dict)


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check(False, True, {"error": type(exc).__name__})
    return Check(True, True, {"vendor": connection.vendor})


def _job_queue() -> Check:
    try:
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        detail: dict[str, Any] = {
            "ready": ready.count(),
            "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
            "oldest_ready_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0,
        }
    except DatabaseError as exc:
        return Check(False, True, {"error": type(exc).__name__})
    return Check(True, True, detail)


# Delivery runs follow each commit within seconds and the clock sweeps every minute, so a message still pending
# after this long means delivery has stopped (no worker, or a channel failing for everyone).
MESSAGES_LATE_AFTER = timedelta(minutes=5)


def _message_delivery() -> Check:
    """Messages waiting to go out; those whose channel failed every try are counted, not waited for."""
    try:
        pending = Message.objects.filter(delivered_at__isnull=True)
        deliverable = pending.filter(delivery_attempts__lt=MAX_DELIVERY_ATTEMPTS)
        oldest = deliverable.order_by("id").values_list("created_at", flat=True).first()
        detail: dict[str, Any] = {
            "pending": deliverable.count(),
            "failed_before": deliverable.filter(delivery_attempts__gt=0).count(),
            "given_up": pending.filter(delivery_attempts__gte=MAX_DELIVERY_ATTEMPTS).count(),
            "oldest_pending_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0,
        }
    except DatabaseError as exc:
        return Check(False, False, {"error": type(exc).__name__})
    late = timedelta(seconds=detail["oldest_pending_seconds"]) > MESSAGES_LATE_AFTER
    return Check(not late, False, detail)


def _heartbeat(role: str) -> Check:
    try:
        beat = Heartbeat.objects.filter(role=role).first()
    except DatabaseError as exc:
        return Check(False, False, {"error": type(exc).__name__})
    if beat is None:
        return Check(False, False, {"last_seen": None, "hint": f"start it with: tongban {role}"})
    age = timezone.now() - beat.seen_at
    fresh = age <= timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
    return Check(fresh, False, {"last_seen": beat.seen_at.isoformat(), "age_seconds": round(age.total_seconds(), 1)})


def health_report() -> dict[str, Any]:
    """``status`` is ``ok`` when all checks pass, ``degraded`` when only a background role is stale,
    ``down`` when the database or the job queue cannot be read."""
    checks = {
        "database": _database(),
        "job_queue": _job_queue(),
        "message_delivery": _message_delivery(),
        "worker": _heartbeat("worker"),
        "clock": _heartbeat("clock"),
    }
    if any(not c.ok and c.critical for c in checks.values()):
        status = "down"
    elif all(c.ok for c in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return {
        "status": status,
        "version": __version__,
        "checks": {name: {"ok": c.ok, **c.detail} for name, c in checks.items()},
        "checked_at": timezone.now().isoformat(),
    }
