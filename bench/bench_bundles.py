"""一件事 (issue 9): the measured saving of every bundle, from the catalog (materials and working days one by one
vs together), and the time one bundle application takes — 开饭店: four child cases created, the shared answers
copied, eight uploads checked and attached to every child that lists them, one signed commitment, one pre-check
and one submission in one transaction.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongban_<you> .venv/bin/python bench/bench_bundles.py
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import report, setup_django, summary_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from dataclasses import asdict

    from django.contrib.auth import get_user_model

    from tongban.cases.public import bundle_apply, bundle_plan
    from tongban.cases.tests.factories import PDF
    from tongban.catalog import bundles_demo
    from tongban.catalog.public import bundle_entries
    from tongban.licenses import demo as licenses_demo

    bundles_demo.load()
    licenses_demo._load_bundle_results()
    savings = {entry.slug: asdict(bundle_plan(slug=entry.slug).saving) for entry in bundle_entries()}

    plan = bundle_plan(slug="kai-fandian")
    answers = {
        "name": "王记川菜馆",
        "operator": "王开店",
        "address": "广安区建设路8号",
        "phone": "13955551111",
        "scope__1": "餐饮服务",
        "scope__2": "热食类食品制售",
        "area": 120,
        "sign_text": "王记川菜馆",
    }
    uploads = [
        {"key": m.key, "content": PDF, "filename": f"{m.key}.pdf"}
        for m in plan.materials
        if not m.from_step and not m.commitment_steps
    ]
    User = get_user_model()
    samples = []
    for n in range(args.applications):
        person = User.objects.create(username=f"bench-bundle-{uuid.uuid4().hex[:12]}", first_name=f"申请人{n}")
        started = time.perf_counter()
        bundle_apply(
            applicant=person,
            actor=person,
            slug="kai-fandian",
            form_data=answers,
            materials=uploads,
            commit_for=["DEMO-SC-0003"],
            idempotency_key=uuid.uuid4().hex,
        )
        samples.append(time.perf_counter() - started)
    report(
        "bundles",
        {
            "saving": savings,
            "kai_fandian_apply": {"applications": len(samples), "uploads_each": len(uploads), **summary_ms(samples)},
        },
    )


if __name__ == "__main__":
    main()
