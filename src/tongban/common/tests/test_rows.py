"""insert_rows writes exactly what bulk_create would, with the statement composed once; the statements of one
request share a cursor (kept_cursor)."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext

from tongban.common.models import AuditEvent, Message
from tongban.common.rows import insert_rows, kept_cursor

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return get_user_model().objects.create(username="recipient")


def _event(**changes):
    fields = {
        "partition": 3, "seq": 1, "prev_hash": "0" * 64, "hash": "f" * 64,
        "occurred_at": datetime(2026, 2, 13, 1, 2, 3, 456789, tzinfo=UTC), "actor_id": None, "actor_label": "system",
        "action": "case.submitted", "object_type": "case", "object_id": "7",
        "before": None, "after": {"stage": "submitted", "名称": "张记小吃", "nested": [1, {"a": None}]},
        "request_id": "r-1", "region_code": "440000",
    }  # fmt: skip
    return AuditEvent(**{**fields, **changes})


def test_rows_read_back_as_bulk_create_writes_them():
    ours, theirs = _event(), _event(seq=2)
    insert_rows([ours])
    AuditEvent.objects.bulk_create([theirs])
    assert ours.pk is not None and not ours._state.adding
    fields = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in {"id", "seq"}]
    (stored,) = AuditEvent.objects.filter(pk=ours.pk).values(*fields)
    (expected,) = AuditEvent.objects.filter(pk=theirs.pk).values(*fields)
    assert stored == expected and stored["after"]["名称"] == "张记小吃"


def test_several_rows_get_their_own_ids_in_order_from_one_statement():
    events = [_event(seq=n, object_id=str(n)) for n in range(1, 4)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(events)
    assert len(queries.captured_queries) == 1
    assert [AuditEvent.objects.get(pk=e.pk).object_id for e in events] == ["1", "2", "3"]


def test_auto_now_add_is_stamped_and_a_parent_saved_after_assignment_is_used(person):
    recipient = get_user_model()(username="later")
    message = Message(recipient=recipient, subject="s", body="b")
    recipient.save()  # saved after it was assigned: bulk_create takes its id at insert time, so must we
    insert_rows([message])
    stored = Message.objects.get(pk=message.pk)
    assert stored.recipient_id == recipient.pk and stored.created_at is not None
    assert message.created_at == stored.created_at


def test_an_expression_or_a_preset_id_goes_through_bulk_create(person):
    stamped = Message(recipient=person, subject="s", body="b", read_at=Now())
    insert_rows([stamped])
    assert Message.objects.get(pk=stamped.pk).read_at is not None
    preset = Message(pk=9_000, recipient=person, subject="s", body="b")
    insert_rows([preset])
    assert Message.objects.filter(pk=9_000).exists()


def test_a_request_s_statements_share_one_cursor_on_its_connection():
    connection.ensure_connection()
    # As after the request's first cursor; Django clears it between requests (the attribute is not in its stubs).
    connection.health_check_done = True  # type: ignore[attr-defined]
    first = kept_cursor()
    assert kept_cursor() is first
    insert_rows([_event(seq=1)])
    assert kept_cursor() is first  # the insert ran on it and left it open
    # A new request: its first cursor comes from Django, with the health check.
    connection.health_check_done = False  # type: ignore[attr-defined]
    assert kept_cursor() is not first


@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_a_kept_cursor_is_never_used_on_another_connection_nor_while_queries_are_logged():
    connection.ensure_connection()
    connection.health_check_done = True  # type: ignore[attr-defined]  # set by Django, not in its stubs
    first = kept_cursor()
    with CaptureQueriesContext(connection) as queries:
        logged = kept_cursor()
        insert_rows([_event(seq=1)])
    assert logged is not first and len(queries.captured_queries) == 1  # Django's logging cursor saw the insert
    connection.close()
    connection.connect()  # a new connection (health check done, as Django's connect() sets it)
    fresh = kept_cursor()
    assert fresh is not first and fresh.cursor.connection is connection.connection
    fresh.execute("SELECT 1")
    assert fresh.fetchone() == (1,)
