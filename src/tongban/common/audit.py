"""The audit trail: append-only, hash-chained, written in the same transaction as the change it records.

Tamper evidence (节点留痕、过程可溯): events are spread over ``AUDIT_PARTITIONS`` chains by the object they
concern, so all events of one case form one ordered chain and concurrent writes to different cases lock
different head rows. Each event stores its sequence number in the partition, the previous event's hash and
its own hash over a canonical serialisation of every field. A checkpoint (``audit_checkpoint``) hashes all
partition heads together and chains to the previous checkpoint, binding the partitions; exporting the
checkpoints lets an outside party detect even a rewrite of whole chains. Verification is in
:mod:`tongban.common.audit_verify`.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tongban.common.logging import request_id_var
from tongban.common.models import AuditChainHead, AuditCheckpoint, AuditEvent
from tongban.common.rows import insert_rows, kept_cursor, shaped_value_rows

GENESIS = "0" * 64


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def partition_for(object_type: str, object_id: str) -> int:
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % settings.AUDIT_PARTITIONS


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical(value: Any) -> str:
    """One fixed JSON spelling of a value (sorted keys, no spaces), so a hash never depends on storage."""
    return _CANONICAL.encode(value)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    partition: int,
    seq: int,
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    request_id: str,
    region_code: str,
) -> str:
    body = canonical(
        [partition, seq, prev_hash, _stamp(occurred_at), actor_id, actor_label, action, object_type, object_id,
         before, after, request_id, region_code]
    )  # fmt: skip
    return hashlib.sha256(body.encode()).hexdigest()


def record_audit(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    region_code: str = "",
) -> AuditEvent:
    """Append one event to its object's chain. ``before``/``after`` hold ids and values, never ID numbers or
    phone numbers. Call inside the transaction that makes the change: the event commits or rolls back with it."""
    fields: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": actor.get_username() if actor is not None else "system",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before": before,
        "after": after,
        "request_id": request_id_var.get() if request_id_var.get() != "-" else "",
        "region_code": region_code,
    }
    partition = partition_for(object_type, fields["object_id"])
    # No savepoint: inside the caller's transaction an error here fails the whole change anyway (and two
    # statements per event are saved); outside any transaction this opens one.
    with transaction.atomic(savepoint=False):
        head = _locked_head(partition)
        seq = head.last_seq + 1
        digest = event_hash(partition=partition, seq=seq, prev_hash=head.last_hash, **fields)
        event = AuditEvent(partition=partition, seq=seq, prev_hash=head.last_hash, hash=digest, **fields)
        insert_rows([event])
        head.last_seq, head.last_hash = seq, digest
        _advance_head(partition, seq, digest)
    return event


def _advance_head(partition: int, seq: int, digest: str) -> None:
    """``AuditChainHead.objects.filter(partition=…).update(…)`` on the row just locked, written without the ORM
    composing it on every state change."""
    quote = connection.ops.quote_name
    opts = AuditChainHead._meta
    column = {f.name: quote(f.column) for f in opts.concrete_fields}
    kept_cursor().execute(
        f"UPDATE {quote(opts.db_table)} SET {column['last_seq']} = %s, {column['last_hash']} = %s "  # noqa: S608
        f"WHERE {column['partition']} = %s",  # names from our own model
        [seq, digest, partition],
    )


def _locked_head(partition: int) -> AuditChainHead:
    found = shaped_value_rows(
        "common.audit_head",
        lambda v: AuditChainHead.objects.select_for_update().filter(partition=v["partition"]),
        {"partition": partition},
        ("last_seq", "last_hash"),
    )  # every state change takes this lock: its SQL is composed once
    head = AuditChainHead(partition=partition, **found[0]) if found else None
    if head is None:
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(partition=partition, last_seq=0, last_hash=GENESIS)], ignore_conflicts=True
        )
        head = AuditChainHead.objects.select_for_update().get(partition=partition)
    return head


def checkpoint_hash(*, created_at: datetime, heads: dict[str, list[Any]], prev_hash: str) -> str:
    return hashlib.sha256(canonical([_stamp(created_at), heads, prev_hash]).encode()).hexdigest()


def audit_checkpoint() -> AuditCheckpoint:
    """Bind every partition head into one hash chained to the previous checkpoint."""
    with transaction.atomic():
        heads = {
            str(head.partition): [head.last_seq, head.last_hash]
            for head in AuditChainHead.objects.select_for_update().order_by("partition")
        }
        previous = AuditCheckpoint.objects.order_by("-id").first()
        prev_hash = previous.hash if previous else GENESIS
        created_at = timezone.now()
        digest = checkpoint_hash(created_at=created_at, heads=heads, prev_hash=prev_hash)
        return AuditCheckpoint.objects.create(created_at=created_at, heads=heads, prev_hash=prev_hash, hash=digest)
