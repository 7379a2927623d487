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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from typing import Any

from django.db import connections

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


def verify_audit(*, external_checkpoints: Iterable[dict[str, Any]] = (), processes: int = 1) -> Report:
    """Check every chain and checkpoint. ``processes`` > 1 verifies partitions in parallel processes."""
    started = time.perf_counter()
    report = Report()
    heads = {head.partition: (head.last_seq, head.last_hash) for head in AuditChainHead.objects.all()}
    partitions = sorted(set(heads) | set(AuditEvent.objects.values_list("partition", flat=True).distinct()))
    report.partitions = len(partitions)
    groups = [[(p, heads.get(p)) for p in partitions[i::processes]] for i in range(max(processes, 1))]
    if processes > 1:
        connections.close_all()  # each process opens its own connection
        with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
            results = list(pool.map(_verify_group, groups))
    else:
        results = [_verify_group(groups[0])]
    for events, breaks in results:
        report.events += events
        report.breaks += breaks
    report.breaks.sort(key=lambda b: (b.partition if b.partition is not None else -1, b.seq or 0))
    report.breaks += _verify_checkpoints(report, external_checkpoints)
    report.seconds = time.perf_counter() - started
    return report


def _verify_group(group: list[tuple[int, tuple[int, str] | None]]) -> tuple[int, list[Break]]:
    events, breaks = 0, []
    for partition, head in group:
        count, found = _verify_partition(partition, head)
        events += count
        breaks += found
    return events, breaks


def _rows(partition: int) -> Iterator[tuple[Any, ...]]:
    rows = AuditEvent.objects.filter(partition=partition).order_by("seq").values_list(*_FIELDS)
    yield from rows.iterator(chunk_size=10_000)


def _verify_partition(partition: int, head: tuple[int, str] | None) -> tuple[int, list[Break]]:
    breaks: list[Break] = []
    expected, prev, events = 1, GENESIS, 0
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    for row in _rows(partition):
        events += 1
        event_id, _p, seq, prev_hash, stored_hash, *content = row
        recomputed = event_hash(partition, seq, prev_hash, *content)
        if head is None or seq > head_seq:
            breaks.append(
                Break("inserted", partition, seq, event_id, "event beyond the chain head: no writer appended it")
            )
        elif seq != expected:
            breaks.append(Break("deleted", partition, expected, None, f"events {expected}–{seq - 1} are missing"))
        elif recomputed != stored_hash:
            breaks.append(Break("changed", partition, seq, event_id, "content does not match its hash"))
        elif prev_hash != prev:
            breaks.append(Break("relinked", partition, seq, event_id, "does not link to the previous event"))
        expected, prev = seq + 1, stored_hash
    if head is not None and expected - 1 < head_seq:
        breaks.append(
            Break("deleted", partition, expected, None, f"events {expected}–{head_seq} at the end are missing")
        )
    elif head is not None and head_seq and prev != head_hash and not breaks:
        breaks.append(Break("changed", partition, head_seq, None, "the last event does not match the chain head"))
    return events, breaks


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
