"""Audit trail: how fast events are appended, and how long verifying N events takes (target ≤ 30 s for 1M).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongban_bench .venv/bin/python bench/bench_audit.py --events 1000000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2_000, help="events appended one by one via record_audit")
    parser.add_argument("--runs", type=int, default=3, help="verification runs (median reported)")
    parser.add_argument("--processes", type=int, default=2, help="verification processes (the machine has 2 cores)")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from tongban.common.audit import GENESIS, event_hash, record_audit
    from tongban.common.audit_verify import verify_audit
    from tongban.common.models import AuditChainHead, AuditCheckpoint, AuditEvent

    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    AuditCheckpoint.objects.all().delete()

    # 1. Appending through the real writer, one transaction each, as services do.
    started = time.perf_counter()
    for n in range(args.appends):
        with transaction.atomic():
            record_audit(actor=None, action="case.accepted", object_type="case", object_id=f"A{n}",
                         before={"stage": "submitted"}, after={"stage": "accepted"})  # fmt: skip
    append_rate = args.appends / (time.perf_counter() - started)

    # 2. Bulk-load the rest with correct chains (same hash function), then verify everything.
    heads = {h.partition: [h.last_seq, h.last_hash] for h in AuditChainHead.objects.all()}
    base, batch, loaded = timezone.now(), [], 0
    started = time.perf_counter()
    for n in range(args.events - args.appends):
        partition = n % settings.AUDIT_PARTITIONS
        seq, prev = heads.get(partition, [0, GENESIS])
        fields = {
            "occurred_at": base + timedelta(microseconds=n), "actor_id": n % 997, "actor_label": f"officer{n % 997}",
            "action": "case.moved", "object_type": "case", "object_id": f"B{n // 5}",
            "before": {"stage": "handling"}, "after": {"stage": "review", "remaining_days": n % 20},
            "request_id": "", "region_code": "440000",
        }  # fmt: skip
        digest = event_hash(partition=partition, seq=seq + 1, prev_hash=prev, **fields)
        batch.append(AuditEvent(partition=partition, seq=seq + 1, prev_hash=prev, hash=digest, **fields))
        heads[partition] = [seq + 1, digest]
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            loaded += len(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    for partition, (seq, digest) in heads.items():
        AuditChainHead.objects.update_or_create(partition=partition, defaults={"last_seq": seq, "last_hash": digest})
    load_seconds = time.perf_counter() - started

    timings = []
    for _ in range(args.runs):
        result = verify_audit(processes=args.processes)
        if not result.intact:
            raise SystemExit(f"the benchmark's own trail does not verify: {result.breaks[:3]}")
        timings.append(result.seconds)
    report(
        "audit",
        {
            "events": result.events,
            "partitions": result.partitions,
            "append_events_per_second": round(append_rate, 1),
            "bulk_load_seconds": round(load_seconds, 1),
            "verify_processes": args.processes,
            "verify_seconds_median": round(statistics.median(timings), 2),
            "verify_seconds_runs": [round(t, 2) for t in timings],
            "verify_events_per_second": round(result.events / statistics.median(timings)),
        },
    )


if __name__ == "__main__":
    main()
