"""Tamper evidence: single rows deleted, edited or inserted directly in the database are each named."""

import json
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tongban.common.audit import audit_checkpoint, event_hash, partition_for, record_audit
from tongban.common.audit_verify import verify_audit
from tongban.common.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def _trail(objects: int = 6, events_each: int = 4) -> None:
    for n in range(objects):
        for step in range(events_each):
            record_audit(
                actor=None, action="case.moved", object_type="case", object_id=f"C{n}",
                before={"stage": step}, after={"stage": step + 1, "note": "受理"},
            )  # fmt: skip


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _event(object_id: str, seq_index: int) -> AuditEvent:
    return list(AuditEvent.objects.filter(object_id=object_id).order_by("seq"))[seq_index]


def test_an_untouched_trail_verifies():
    _trail()
    audit_checkpoint()
    report = verify_audit()
    assert report.intact, report.breaks
    assert report.events == 24 and report.checkpoints == 1


def test_events_of_one_object_form_one_ordered_chain():
    _trail(objects=1, events_each=5)
    events = list(AuditEvent.objects.order_by("seq"))
    assert {e.partition for e in events} == {partition_for("case", "C0")}
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))


def test_a_deleted_row_is_named():
    _trail()
    victim = _event("C2", 1)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    breaks = verify_audit().breaks
    assert [(b.kind, b.partition, b.seq) for b in breaks] == [("deleted", victim.partition, victim.seq)]


def test_an_edited_row_is_named():
    _trail()
    victim = _event("C3", 2)
    _sql(f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["someone-else", victim.pk])
    breaks = verify_audit().breaks
    assert [(b.kind, b.seq, b.event_id) for b in breaks] == [("changed", victim.seq, victim.pk)]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link():
    _trail()
    victim, following = _event("C1", 1), _event("C1", 2)
    forged_after = {"stage": 99}
    forged = event_hash(
        partition=victim.partition, seq=victim.seq, prev_hash=victim.prev_hash, occurred_at=victim.occurred_at,
        actor_id=victim.actor_id, actor_label=victim.actor_label, action=victim.action,
        object_type=victim.object_type, object_id=victim.object_id, before=victim.before, after=forged_after,
        request_id=victim.request_id, region_code=victim.region_code,
    )  # fmt: skip
    AuditEvent.objects.filter(pk=victim.pk).update(after=forged_after, hash=forged)
    breaks = verify_audit().breaks
    assert [(b.kind, b.event_id) for b in breaks] == [("relinked", following.pk)]


def test_an_inserted_row_is_named():
    _trail()
    last = AuditEvent.objects.filter(object_id="C4").order_by("-seq").first()
    assert last is not None
    _sql(
        f"INSERT INTO {TABLE} (occurred_at, actor_id, actor_label, action, object_type, object_id, before, after,"
        " request_id, region_code, partition, seq, prev_hash, hash)"
        " VALUES (%s, NULL, 'ghost', 'case.approved', 'case', 'C4', NULL, NULL, '', '', %s, %s, %s, %s)",
        [last.occurred_at, last.partition, last.seq + 1, last.hash, "f" * 64],
    )
    breaks = verify_audit().breaks
    assert [(b.kind, b.partition, b.seq) for b in breaks] == [("inserted", last.partition, last.seq + 1)]


def test_a_truncated_tail_is_named():
    _trail()
    last = AuditEvent.objects.filter(object_id="C5").order_by("-seq").first()
    assert last is not None
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [last.pk])
    breaks = verify_audit().breaks
    assert [(b.kind, b.partition, b.seq) for b in breaks] == [("deleted", last.partition, last.seq)]


def test_a_rewritten_chain_is_caught_by_the_checkpoint_held_outside():
    _trail(objects=1, events_each=3)
    audit_checkpoint()
    exported = json.loads(_command_output("checkpoints"))
    # Rewrite the whole chain consistently (new content, recomputed hashes and head): only checkpoints see it.
    prev = "0" * 64
    for event in AuditEvent.objects.order_by("seq"):
        digest = event_hash(
            partition=event.partition, seq=event.seq, prev_hash=prev, occurred_at=event.occurred_at,
            actor_id=event.actor_id, actor_label="forger", action=event.action, object_type=event.object_type,
            object_id=event.object_id, before=event.before, after=event.after, request_id=event.request_id,
            region_code=event.region_code,
        )  # fmt: skip
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="forger", prev_hash=prev, hash=digest)
        prev = digest
    AuditChainHead.objects.update(last_hash=prev)
    kinds = {b.kind for b in verify_audit(external_checkpoints=exported).breaks}
    assert kinds == {"checkpoint"}


def _command_output(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_cli_verify_reports_the_first_break_and_exits_1(tmp_path):
    _trail(objects=2, events_each=2)
    assert json.loads(_command_output("verify", "--json", "--processes", "1"))["intact"] is True
    victim = _event("C0", 0)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", "--json", "--processes", "1", stdout=out)
    assert failure.value.returncode == 1
    first = json.loads(out.getvalue())["first_break"]
    assert (first["kind"], first["partition"], first["seq"]) == ("deleted", victim.partition, 1)
