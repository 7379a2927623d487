"""Messages to applicants: an in-app inbox row now, delivery through pluggable channels by a job after commit.

Channels are plugins named in ``settings.MESSAGE_CHANNELS`` (dotted paths to :class:`Channel` subclasses).
The development channel only logs that a message went out — ids, never the recipient's phone or email.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from tongban.common.logging import log_event
from tongban.common.models import Message

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
    """Put a message in the recipient's inbox and enqueue its delivery.

    The job row is written in the caller's transaction (jobs live in the same database), so delivery happens
    after commit — or never, if the change that caused the message rolls back.
    """
    message = Message.objects.create(recipient_id=recipient_id, subject=subject, body=body, link=link, topic=topic)
    deliver_message.enqueue(message.pk)
    return message


@task(queue_name="notifications")
def deliver_message(message_id: int) -> list[str]:
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        return []
    delivered = [channel.name for channel in channels() if channel.send(message)]
    Message.objects.filter(pk=message_id).update(delivered=delivered)
    return delivered


def mark_read(*, recipient_id: int, message_ids: list[int]) -> int:
    return Message.objects.filter(recipient_id=recipient_id, pk__in=message_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
