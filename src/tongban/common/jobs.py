"""Background jobs: the platform's own tasks, and the helper every context uses to enqueue.

Jobs are rows in the same database (django-tasks-db), so a job enqueued inside a transaction commits or
rolls back with the change that caused it — a transactional outbox without extra machinery. Workers only
see it after commit. Workers on PostgreSQL claim rows with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tongban.common.audit import audit_checkpoint
from tongban.common.logging import log_event
from tongban.common.models import Heartbeat

logger = logging.getLogger(__name__)


def record_heartbeat(role: str, **detail: Any) -> None:
    Heartbeat.objects.update_or_create(
        role=role,
        defaults={
            "seen_at": timezone.now(),
            "detail": {"host": socket.gethostname(), "pid": os.getpid(), **detail},
        },
    )


@task()
def worker_heartbeat() -> str:
    """Proves a worker is taking jobs: the clock enqueues this, a worker runs it, /healthz reads it."""
    record_heartbeat("worker")
    return "ok"


@task()
def ping(message: str = "pong") -> str:
    """A test job: ``tongban jobs ping`` enqueues it and waits for a worker to answer."""
    log_event(logger, "job_ping")
    return message


@task(queue_name="sweeps")
def prune_finished_jobs(keep_days: int = 14) -> int:
    """Delete finished job rows older than ``keep_days`` so the queue table stays small."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    log_event(logger, "jobs_pruned", count=deleted)
    return deleted


@task(queue_name="sweeps")
def checkpoint_audit_chains() -> str:
    """Bind every audit partition's head into a chained checkpoint (see tongban.common.audit)."""
    checkpoint = audit_checkpoint()
    log_event(logger, "audit_checkpoint", checkpoint_id=checkpoint.pk)
    return checkpoint.hash
