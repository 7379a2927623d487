"""Verifying the audit trail: recompute every partition's hash chain and every checkpoint.

A break is named by partition, sequence number and kind:
  ``changed``   an event's content no longer matches its hash (edited in place);
  ``relinked``  an event is self-consistent but does not link to the one before it (rewritten chain);
  ``deleted``   sequence numbers are missing (rows removed, including from the tail);
  ``inserted``  an event that no writer appended (beyond the partition head, or in an unknown partition);
  ``checkpoint`` a checkpoint's own chain, or a head it recorded, no longer matches.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from tongban.common.audit import GENESIS, checkpoint_hash, event_hash
from tongban.common.models import AuditChainHead, AuditCheckpoint, AuditEvent

_FIELDS = (
    "id", "partition", "seq", "prev_hash", "hash", "occurred_at", "actor_id", "actor_label", "action",
    "object_type", "object_id", "before", "after", "request_id", "region_code",
)  # fmt: skip


@dataclass(frozen=True)
class Break:
    kind: str
    partition: int | None
    seq: int | None
    event_id: int | None
    message: str


@dataclass
class Report:
    events: int = 0
    partitions: int = 0
    checkpoints: int = 0
    breaks: list[Break] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def intact(self) -> bool:
        return not self.breaks

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "partitions": self.partitions,
            "checkpoints": self.checkpoints,
            "first_break": asdict(self.breaks[0]) if self.breaks else None,
            "breaks": [asdict(b) for b in self.breaks],
            "seconds": round(self.seconds, 2),
        }


def verify_audit(*, external_checkpoints: Iterable[dict[str, Any]] = ()) -> Report:
    started = time.perf_counter()
    report = Report()
    heads = {head.partition: head for head in AuditChainHead.objects.all()}
    partitions = sorted(set(heads) | set(AuditEvent.objects.values_list("partition", flat=True).distinct()))
    report.partitions = len(partitions)
    for partition in partitions:
        report.breaks += _verify_partition(partition, heads.get(partition), report)
    report.breaks += _verify_checkpoints(report, external_checkpoints)
    report.seconds = time.perf_counter() - started
    return report


def _rows(partition: int) -> Iterator[dict[str, Any]]:
    rows = AuditEvent.objects.filter(partition=partition).order_by("seq").values(*_FIELDS)
    yield from rows.iterator(chunk_size=10_000)


def _verify_partition(partition: int, head: AuditChainHead | None, report: Report) -> list[Break]:
    breaks: list[Break] = []
    expected, prev = 1, GENESIS
    for row in _rows(partition):
        report.events += 1
        seq, event_id = row["seq"], row["id"]
        content = {k: row[k] for k in _FIELDS if k not in {"id", "partition", "seq", "prev_hash", "hash"}}
        recomputed = event_hash(partition=partition, seq=seq, prev_hash=row["prev_hash"], **content)
        if head is None or seq > head.last_seq:
            breaks.append(
                Break("inserted", partition, seq, event_id, "event beyond the chain head: no writer appended it")
            )
        elif seq != expected:
            breaks.append(Break("deleted", partition, expected, None, f"events {expected}–{seq - 1} are missing"))
        elif recomputed != row["hash"]:
            breaks.append(Break("changed", partition, seq, event_id, "content does not match its hash"))
        elif row["prev_hash"] != prev:
            breaks.append(Break("relinked", partition, seq, event_id, "does not link to the previous event"))
        expected, prev = seq + 1, row["hash"]
    if head is not None and expected - 1 < head.last_seq:
        breaks.append(
            Break("deleted", partition, expected, None, f"events {expected}–{head.last_seq} at the end are missing")
        )
    elif head is not None and head.last_seq and prev != head.last_hash and not breaks:
        breaks.append(Break("changed", partition, head.last_seq, None, "the last event does not match the chain head"))
    return breaks


def _verify_checkpoints(report: Report, external: Iterable[dict[str, Any]]) -> list[Break]:
    breaks: list[Break] = []
    prev = GENESIS
    stored = list(AuditCheckpoint.objects.order_by("id"))
    report.checkpoints = len(stored)
    for checkpoint in stored:
        recomputed = checkpoint_hash(created_at=checkpoint.created_at, heads=checkpoint.heads, prev_hash=prev)
        if checkpoint.prev_hash != prev or recomputed != checkpoint.hash:
            breaks.append(Break("checkpoint", None, None, None, f"checkpoint {checkpoint.pk} does not match its hash"))
        prev = checkpoint.hash
        for partition, (seq, digest) in checkpoint.heads.items():
            if seq and not AuditEvent.objects.filter(partition=int(partition), seq=seq, hash=digest).exists():
                breaks.append(
                    Break("checkpoint", int(partition), seq, None, f"checkpoint {checkpoint.pk} recorded another event")
                )
    held = {item["hash"] for item in stored_export(stored)}
    for item in external:
        if item.get("hash") not in held:
            breaks.append(
                Break("checkpoint", None, None, None, f"externally held checkpoint {item.get('hash')} is gone")
            )
    return breaks


def stored_export(checkpoints: Iterable[AuditCheckpoint] | None = None) -> list[dict[str, Any]]:
    """Checkpoints as an outside party should keep them."""
    rows = AuditCheckpoint.objects.order_by("id") if checkpoints is None else checkpoints
    return [
        {"id": c.pk, "created_at": c.created_at.isoformat(), "prev_hash": c.prev_hash, "hash": c.hash, "heads": c.heads}
        for c in rows
    ]
