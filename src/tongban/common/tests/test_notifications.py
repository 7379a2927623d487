"""Messages are their own delivery jobs (an outbox): written with the change, delivered after commit, once."""

import logging
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tongban.common import notifications
from tongban.common.models import Message
from tongban.common.notifications import Channel, deliver_message, deliver_pending_messages, notify

pytestmark = pytest.mark.django_db
DRAIN = "tongban.common.notifications.deliver_pending_messages"


class BrokenGateway(Channel):
    name = "sms"

    def send(self, message: Message) -> bool:
        raise ConnectionError("gateway down for 13800138000")


@pytest.fixture
def person():
    return get_user_model().objects.create(username="recipient")


@pytest.fixture(autouse=True)
def no_run_enqueued_yet(monkeypatch):
    monkeypatch.setattr(notifications, "_run_starts", None)


def test_a_rolled_back_change_leaves_no_message(person, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient_id=person.pk, subject="s", body="b")
        raise RuntimeError("the change failed")
    assert not Message.objects.exists() and not callbacks
    assert not DBTaskResult.objects.filter(task_path=DRAIN).exists()


def test_one_delivery_run_follows_the_commits_that_need_it(person, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient_id=person.pk, subject="申请已收到", body="b", topic="case:1")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient_id=person.pk, subject="已受理", body="b", topic="case:1")
    (run,) = DBTaskResult.objects.filter(task_path=DRAIN)  # the second commit is seen by the first run
    assert run.run_after is not None and run.run_after >= before + notifications.DELIVERY_DELAY
    assert first.pk and Message.objects.get(pk=first.pk).delivered_at is None  # pending until the run

    assert deliver_pending_messages.call() == 2
    assert deliver_pending_messages.call() == 0  # never twice
    assert all(m.delivered == ["log"] and m.delivered_at for m in Message.objects.all())


def test_a_commit_after_the_run_started_enqueues_another(person, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient_id=person.pk, subject="s", body="b")
    later = timezone.now() + timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient_id=person.pk, subject="s", body="b")
    runs = list(DBTaskResult.objects.filter(task_path=DRAIN).order_by("run_after").values_list("run_after", flat=True))
    assert len(runs) == 2 and runs[1] == later + notifications.DELIVERY_DELAY


@override_settings(MESSAGE_CHANNELS=["tongban.common.tests.test_notifications.BrokenGateway"])
def test_a_failing_channel_keeps_the_message_for_the_sweep(person, caplog):
    message = notify(recipient_id=person.pk, subject="s", body="b")
    with caplog.at_level(logging.WARNING, logger="tongban.common.notifications"):
        assert deliver_pending_messages.call() == 0
    assert "13800138000" not in caplog.text and "message_delivery_failed" in caplog.text
    message.refresh_from_db()
    assert (message.delivered_at, message.delivery_attempts) == (None, 1)
    assert deliver_pending_messages.call() == 0  # a run after a commit does not hammer a failing gateway
    message.refresh_from_db()
    assert message.delivery_attempts == 1
    deliver_pending_messages.call(retry=True, batch=1)  # the clock's sweep tries again: once, even in batches
    message.refresh_from_db()
    assert message.delivery_attempts == 2
    for _ in range(notifications.MAX_DELIVERY_ATTEMPTS + 2):
        deliver_pending_messages.call(retry=True)  # a bounded number of times
    message.refresh_from_db()
    assert message.delivery_attempts == notifications.MAX_DELIVERY_ATTEMPTS and message.delivered_at is None

    with override_settings(MESSAGE_CHANNELS=["tongban.common.notifications.LogChannel"]):
        fresh = notify(recipient_id=person.pk, subject="s", body="b")
        assert deliver_pending_messages.call(retry=True) == 1  # the others have used up their attempts
    fresh.refresh_from_db()
    assert fresh.delivered == ["log"]


def test_a_job_enqueued_before_the_outbox_still_delivers_its_message(person):
    message = notify(recipient_id=person.pk, subject="s", body="b")
    assert deliver_message.call(message.pk) == ["log"]
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert deliver_pending_messages.call() == 0
    assert deliver_message.call(message.pk + 1000) == []


@pytest.mark.django_db(transaction=True)
def test_runs_at_once_take_different_messages(person):
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("needs row locks (PostgreSQL)")
    first, second = (notify(recipient_id=person.pk, subject=s, body="b") for s in ("one", "two"))
    held, done = threading.Event(), threading.Event()

    def hold_first():
        with transaction.atomic():
            Message.objects.select_for_update().get(pk=first.pk)  # a run busy sending this one
            held.set()
            done.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_first)
    holder.start()
    held.wait(10)
    try:
        assert deliver_pending_messages.call() == 1  # skips the locked message instead of waiting for it
    finally:
        done.set()
        holder.join()
    assert Message.objects.get(pk=second.pk).delivered_at is not None
    assert Message.objects.get(pk=first.pk).delivered_at is None
