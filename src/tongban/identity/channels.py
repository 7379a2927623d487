"""How one-time codes reach phones: a small plugin interface. The default writes to the SMS outbox table,
from which a gateway worker (or a developer, in dev) reads; nothing about the phone is logged."""

from __future__ import annotations

import abc
import logging

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.common.public import log_event
from tongban.identity import crypto
from tongban.identity.models import SmsOutbox

logger = logging.getLogger(__name__)


class SmsChannel(abc.ABC):
    @abc.abstractmethod
    def send(self, *, phone: str, body: str) -> None: ...


class OutboxChannel(SmsChannel):
    def send(self, *, phone: str, body: str) -> None:
        message = SmsOutbox.objects.create(
            phone_cipher=crypto.encrypt(phone), phone_hash=crypto.lookup_hash("phone", phone), body=body
        )
        log_event(logger, "sms_queued", outbox_id=message.pk)


def get_channel() -> SmsChannel:
    name = settings.SMS_CHANNEL
    if name == "outbox":
        return OutboxChannel()
    channel: SmsChannel = import_string(str(name))()
    return channel
