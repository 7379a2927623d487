"""PDF renderings: the license certificate (issue 6) and the case receipt (issue 5), median of N renders each.

Measured through the Django test client, i.e. the whole download view (scoping selector, HTML, WeasyPrint, the
credential attachment), after one warm-up render; the first (cold) render, which also imports WeasyPrint and
loads the Noto CJK fonts, is reported on its own. The data (an item, a case, a license) is made with the test
factories inside a transaction that is rolled back, so the bench database keeps nothing.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongban_bench .venv/bin/python bench/bench_pdf.py --runs 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import report, setup_django, summary_ms


class _Rollback(Exception):
    pass


def _timed(get: Any, runs: int) -> tuple[float, list[float], int]:
    started = time.perf_counter()
    size = len(get())
    cold = time.perf_counter() - started
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        samples.append(time.perf_counter() - started)
    return cold, samples, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tongban.cases import services
    from tongban.cases.tests.factories import PDF, citizen, office
    from tongban.identity.tests.factories import UserFactory
    from tongban.licenses.public import license_issue
    from tongban.licenses.tests.factories import FIELDS, LicenseTypeFactory, staff_of

    setup_test_environment()  # the test client on a non-test settings module: allow its host
    figures: dict[str, Any] = {"runs": args.runs}
    try:
        with transaction.atomic():
            kind = LicenseTypeFactory(name="食品经营许可证")
            holder = UserFactory(first_name="张三", last_name="")
            item = license_issue(license_type=kind, holder=holder, fields=FIELDS, case_ref="", actor=staff_of(kind))
            desk = office()
            applicant = citizen(first_name="李四", last_name="")
            case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
            for position in (1, 2):
                services.case_attach_material(
                    case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF
                )
            case = services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="bench-pdf")

            license_client, receipt_client = Client(), Client()
            license_client.force_login(holder)
            receipt_client.force_login(applicant)
            license_url = reverse("licenses:pdf", args=[item.number])
            receipt_url = reverse("cases:receipt_pdf", args=[case.pk])

            def get(client: Client, url: str) -> bytes:
                response = client.get(url)
                assert response.status_code == 200, response.status_code  # noqa: S101
                return bytes(response.content)

            pairs = (("license", license_client, license_url), ("receipt", receipt_client, receipt_url))
            for name, client, url in pairs:
                cold, samples, size = _timed(lambda c=client, u=url: get(c, u), args.runs)
                figures[name] = {
                    "cold_first_render_ms": round(cold * 1000, 1),
                    **summary_ms(samples),
                    "mean_ms": round(statistics.mean(samples) * 1000, 2),
                    "bytes": size,
                }
            raise _Rollback
    except _Rollback:
        pass
    report("pdf", figures)


if __name__ == "__main__":
    main()
