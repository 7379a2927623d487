from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tongban.common.jobs import ping, record_heartbeat
from tongban.common.models import Heartbeat, Message
from tongban.common.notifications import MAX_DELIVERY_ATTEMPTS, deliver_pending_messages, notify

pytestmark = pytest.mark.django_db


def test_healthz_is_down_to_degraded_to_ok(client):
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"  # no worker or clock has ever run
    assert body["checks"]["database"]["ok"] and body["checks"]["job_queue"]["ok"]
    assert body["checks"]["worker"] == {
        "ok": False,
        "last_seen": None,
        "hint": "start it with: tongban worker",
    }

    ping.enqueue()
    record_heartbeat("worker")
    record_heartbeat("clock")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["job_queue"]["ready"] == 1
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_stale_worker_makes_health_degraded(client):
    record_heartbeat("clock")
    Heartbeat.objects.create(role="worker", seen_at=timezone.now() - timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["ok"] is False and body["checks"]["worker"]["age_seconds"] >= 600


def test_healthz_is_down_with_503_when_the_database_fails(client, monkeypatch):
    from django.db import DatabaseError

    from tongban.common import health

    def broken() -> health.Check:
        return health.Check(False, True, {"error": DatabaseError.__name__})

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


def test_messages_stuck_in_the_outbox_make_health_degraded(client):
    record_heartbeat("worker")
    record_heartbeat("clock")
    person = get_user_model().objects.create(username="recipient")
    fresh = notify(recipient_id=person.pk, subject="s", body="b")
    delivery = client.get("/healthz").json()["checks"]["message_delivery"]
    assert delivery["ok"] and delivery["pending"] == 1  # just written: its run follows within seconds

    Message.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["checks"]["message_delivery"]["oldest_pending_seconds"] >= 360

    Message.objects.filter(pk=fresh.pk).update(delivery_attempts=MAX_DELIVERY_ATTEMPTS)  # a channel gave up
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["checks"]["message_delivery"]["given_up"] == 1
    notify(recipient_id=person.pk, subject="s", body="b")
    assert deliver_pending_messages.call() == 1
    assert client.get("/healthz").json()["checks"]["message_delivery"]["pending"] == 0
