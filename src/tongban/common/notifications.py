"""Messages to applicants: an in-app inbox row now, delivery through pluggable channels by a job after commit.

The inbox row is also the delivery's job (a transactional outbox): ``deliver_pending_messages`` sends what is
pending, enqueued after the commits that need it and swept by the clock every minute.

Channels are plugins named in ``settings.MESSAGE_CHANNELS`` (dotted paths to :class:`Channel` subclasses).
The development channel only logs that a message went out — ids, never the recipient's phone or email.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from tongban.common.logging import log_event
from tongban.common.models import Message
from tongban.common.rows import insert_rows

logger = logging.getLogger(__name__)


class Channel(ABC):
    name: str = ""

    @abstractmethod
    def send(self, message: Message) -> bool:
        """Deliver a copy; return False when this recipient cannot be reached on this channel."""


class LogChannel(Channel):
    """Development channel: writes one log line per message (no contact details)."""

    name = "log"

    def send(self, message: Message) -> bool:
        log_event(logger, "message_delivered", channel=self.name, message_id=message.pk, topic=message.topic)
        return True


def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.MESSAGE_CHANNELS]


def notify(*, recipient_id: int, subject: str, body: str, link: str = "", topic: str = "") -> Message:
    """Put a message in the recipient's inbox; its delivery follows after commit.

    The message row is written in the caller's transaction and is its own delivery job (an outbox): it is
    pending until a delivery run sends it, so it goes out after commit — or never, if the change that caused
    it rolls back — and a submission writes one row, not a message and a job.
    """
    message = Message(recipient_id=recipient_id, subject=subject, body=body, link=link, topic=topic)
    insert_rows([message])
    transaction.on_commit(_delivery_follows)
    return message


# A delivery run is enqueued to start DELIVERY_DELAY after the commit that needs it; a commit before that start
# is seen by the same run, so a process enqueues about one run per DELIVERY_DELAY, however many messages it
# writes. The clock's minute sweep delivers whatever a crash between commit and enqueue left behind.
DELIVERY_DELAY = timedelta(seconds=1)
MAX_DELIVERY_ATTEMPTS = 5
_run_lock = threading.Lock()
_run_starts: datetime | None = None


def _delivery_follows() -> None:
    global _run_starts
    now = timezone.now()
    with _run_lock:
        if _run_starts is not None and now < _run_starts:
            return  # the run already enqueued starts after this commit, so it sees this message
        starts = now + DELIVERY_DELAY
        deliver_pending_messages.using(run_after=starts).enqueue()
        _run_starts = starts


@task(queue_name="notifications")
def deliver_pending_messages(*, retry: bool = False, batch: int = 100) -> int:
    """Send every pending message through the channels, oldest first; returns how many went out. Workers
    running at once take different messages (SKIP LOCKED). A message whose channel failed is tried again by
    the clock's sweep (``retry``), once per sweep, up to MAX_DELIVERY_ATTEMPTS times — not by every run."""
    sent, after = 0, 0
    while True:
        with transaction.atomic():
            pending = Message.objects.select_for_update(skip_locked=True).filter(delivered_at__isnull=True)
            pending = pending.filter(
                id__gt=after,  # each message at most once per run
                delivery_attempts__lt=MAX_DELIVERY_ATTEMPTS if retry else 1,  # a failed one waits for the sweep
            )
            taken = list(pending.order_by("id")[:batch])
            sent += sum(_deliver(message) for message in taken)
        if len(taken) < batch:
            return sent
        after = taken[-1].pk


@task(queue_name="notifications")
def deliver_message(message_id: int) -> list[str]:
    """One message's own job, as enqueued before messages became their own jobs."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return []
        _deliver(message)
    return list(message.delivered)


def _deliver(message: Message) -> bool:
    """Send one locked message through every channel; a failing channel leaves it pending for a later try."""
    message.delivery_attempts += 1
    try:
        message.delivered = [channel.name for channel in channels() if channel.send(message)]
    except Exception as exc:  # a channel plugin failed: try again later, never lose the message
        # The error's type only: a gateway's message may quote the recipient's number.
        log_event(logger, "message_delivery_failed", logging.WARNING, message_id=message.pk, error=type(exc).__name__)
        message.save(update_fields=["delivery_attempts"])
        return False
    message.delivered_at = timezone.now()
    message.save(update_fields=["delivered", "delivered_at", "delivery_attempts"])
    return True


def mark_read(*, recipient_id: int, message_ids: list[int]) -> int:
    return Message.objects.filter(recipient_id=recipient_id, pk__in=message_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
