"""E-licenses: bulk issuance rate, in-process verification rate, and verification over HTTP against a plain
Django endpoint that reads one row by primary key (targets, issue 6: issuance ≥ 500/s, HTTP verify ≥ 70 %).

Both HTTP endpoints run in the same gunicorn (this module is its WSGI app, with its own URL map: the licenses
API router and the plain endpoint), are driven by the same client threads in alternating rounds, and the best
round of each is compared.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongban_bench .venv/bin/python bench/bench_licenses.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, report, setup_django

BENCH_WSGI = "TONGBAN_BENCH_LICENSES_WSGI"


def _wsgi() -> Any:
    """Under gunicorn: Django with this module as the URL map."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = "bench_licenses"
    return get_wsgi_application()


def _urlpatterns() -> list[Any]:
    from django.http import HttpRequest, JsonResponse
    from django.urls import path
    from ninja import NinjaAPI

    from tongban.api.routers.licenses import router
    from tongban.licenses.public import License

    api = NinjaAPI(urls_namespace="bench-licenses")
    api.add_router("/licenses", router)

    def plain(request: HttpRequest, pk: int) -> JsonResponse:
        row = License.objects.filter(pk=pk).values("pk", "number", "status").first()
        return JsonResponse(row or {})

    return [path("api/v1/", api.urls), path("plain/<int:pk>", plain)]


if os.environ.get(BENCH_WSGI) == "1":
    application = _wsgi()
    urlpatterns = _urlpatterns()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, BENCH_WSGI: "1", "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT / 'src'}"}
    process = subprocess.Popen(  # our own module under the locked gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench_licenses:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/plain/1", timeout=1):  # local
                return process, port
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.2)


def _drive(port: int, method: str, path: str, body: bytes | None, seconds: float, threads: int) -> float:
    """Requests per second over ``seconds`` with ``threads`` clients (a fresh connection per request, as the
    sync workers close them); every answer must be 200."""
    stop = time.monotonic() + seconds
    counts = [0] * threads
    errors: list[str] = []
    headers = {"Content-Type": "application/json"} if body else {}

    def run(n: int) -> None:
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            if response.status != 200:
                errors.append(f"{response.status} {payload[:200]!r}")
                return
            counts[n] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"{path}: {errors[0]}")
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--licenses", type=int, default=5000, help="licenses issued in bulk")
    parser.add_argument("--verifications", type=int, default=2000, help="in-process verifications")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one HTTP round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating HTTP rounds per endpoint")
    parser.add_argument("--threads", type=int, default=4, help="HTTP client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    args = parser.parse_args()
    setup_django()
    from tongban.identity.public import Department, Region, User
    from tongban.licenses.public import License, LicenseType, license_import, verify_license

    region, _ = Region.objects.get_or_create(code="449900", defaults={"name": "压测区", "level": 3})
    department, _ = Department.objects.get_or_create(code="BENCH-LIC", defaults={"name": "压测局", "region": region})
    kind, _ = LicenseType.objects.get_or_create(
        code="BENCH",
        defaults={
            "name": "压测许可证",
            "issuing_department": department,
            "holder_kind": "person",
            "validity_years": 5,
            "field_schema": {"required": ["name"], "properties": {"name": {}, "address": {}, "scope": {}}},
        },
    )
    holders = [f"bench-holder-{n}" for n in range(200)]
    existing = set(User.objects.filter(username__in=holders).values_list("username", flat=True))
    User.objects.bulk_create([User(username=name) for name in holders if name not in existing])
    rows = [
        {"holder": holders[n % len(holders)], "name": f"压测商户{n}", "address": "广州市天河区", "scope": "零售"}
        for n in range(args.licenses)
    ]

    started = time.perf_counter()
    result = license_import(license_type=kind, rows=rows, actor=None, batch_size=500)
    issue_seconds = time.perf_counter() - started
    if result.issued != args.licenses:
        raise SystemExit(f"issued only {result.issued}: {result.rows[:3]}")

    item = License.objects.filter(license_type=kind).order_by("-pk").first()
    if item is None:
        raise SystemExit("nothing was issued")
    document = item.credential
    if not verify_license(document)["valid"]:
        raise SystemExit("the benchmark's own license does not verify")
    started = time.perf_counter()
    for _ in range(args.verifications):
        verify_license(document)
    verify_rate = args.verifications / (time.perf_counter() - started)

    process, port = _start_server(args.workers)
    body = json.dumps(document, ensure_ascii=False).encode()
    plain_rates, verify_rates = [], []
    try:
        _drive(port, "GET", f"/plain/{item.pk}", None, 1.0, args.threads)  # warm up both
        _drive(port, "POST", "/api/v1/licenses/verify", body, 1.0, args.threads)
        for _ in range(args.rounds):
            plain_rates.append(_drive(port, "GET", f"/plain/{item.pk}", None, args.seconds, args.threads))
            verify_rates.append(_drive(port, "POST", "/api/v1/licenses/verify", body, args.seconds, args.threads))
    finally:
        process.terminate()
        process.wait(timeout=10)
    plain_best, verify_best = max(plain_rates), max(verify_rates)
    report(
        "licenses",
        {
            "bulk_issued": args.licenses,
            "bulk_issue_per_second": round(args.licenses / issue_seconds, 1),
            "bulk_issue_target_per_second": 500,
            "verify_in_process_per_second": round(verify_rate, 1),
            "http_plain_pk_read_per_second": round(plain_best, 1),
            "http_verify_per_second": round(verify_best, 1),
            "http_verify_ratio": round(verify_best / plain_best, 3),
            "http_verify_ratio_target": 0.7,
            "http_rounds": {"plain": [round(r, 1) for r in plain_rates], "verify": [round(r, 1) for r in verify_rates]},
            "credential_bytes": len(body),
            "gunicorn_workers": args.workers,
            "client_threads": args.threads,
        },
    )


if __name__ == "__main__":
    main()
