"""Supervision at scale (issue 7): the department supervision page over the generated cases (target median
≤ 300 ms with 1,000,000 cases), and what the hash-chained audit costs submissions (target ≤ 10 %).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongban_bench .venv/bin/python bench/bench_supervision.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import report, setup_django, summary_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=15)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--pages-only", action="store_true", help="skip the audit-cost part (it writes cases)")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from tongban.cases import services
    from tongban.cases.models import Case, ItemSnapshot
    from tongban.identity.models import StaffAssignment, StaffRole
    from tongban.supervision.services import refresh_department_days

    busiest = Case.objects.values("department_id").annotate(n=Count("id")).order_by("-n").first()
    if busiest is None:
        raise SystemExit("no cases: run `tongban demo generate --cases N` first")
    User = get_user_model()
    supervisor, _ = User.objects.get_or_create(username="bench-supervisor", defaults={"is_staff": True})
    StaffAssignment.objects.get_or_create(
        user=supervisor, department_id=busiest["department_id"], role=StaffRole.SUPERVISOR
    )
    # The clock refreshes the stored day sums every hour; bring them up to yesterday as it would have.
    started = time.perf_counter()
    refresh = refresh_department_days()
    refresh_seconds = time.perf_counter() - started
    client = Client()
    client.force_login(supervisor)
    month = timezone.localdate().strftime("%Y-%m")
    url = f"/supervision/departments/{busiest['department_id']}/?month={month}"
    timings = []
    for _ in range(args.renders):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"supervision page answered {response.status_code}")
    figures = {
        "cases": Case.objects.count(),
        "department_cases": busiest["n"],
        "page": summary_ms(timings),
        "day_sums_refresh": {**refresh, "seconds": round(refresh_seconds, 2)},
    }
    if args.pages_only:
        report("supervision", figures)
        return

    # Audit cost: the same submissions through the real services, with the audit writer on and off.
    applicant, _ = User.objects.get_or_create(username="bench-applicant")
    item = next(
        s.item_code for s in ItemSnapshot.objects.all()[:500]
        if not any(m["requirement"] == "required" for m in s.data["materials"])
    )  # fmt: skip

    def submit_rate(label: str) -> float:
        started = time.perf_counter()
        for n in range(args.submissions):
            services.case_apply(applicant=applicant, actor=applicant, item_code=item, form_data={}, materials=[],
                                idempotency_key=f"audit-{label}-{time.time_ns()}-{n}")  # fmt: skip
        return args.submissions / (time.perf_counter() - started)

    with_audit = statistics.median([submit_rate("on") for _ in range(3)])
    real_audit = services.record_audit
    services.record_audit = lambda **kwargs: None  # type: ignore[assignment,misc]
    try:
        without_audit = statistics.median([submit_rate("off") for _ in range(3)])
    finally:
        services.record_audit = real_audit
    report(
        "supervision",
        {
            **figures,
            "submissions_per_second_with_audit": round(with_audit, 1),
            "submissions_per_second_without_audit": round(without_audit, 1),
            "audit_cost_percent": round(100 * (1 - with_audit / without_audit), 1),
        },
    )


if __name__ == "__main__":
    main()
