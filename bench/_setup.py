"""Shared set-up for benchmarks: Django on the database named by DATABASE_URL (default: a bench SQLite file).

Benchmarks never touch the development database: without DATABASE_URL they use var/bench.sqlite3.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings.base")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("TONGBAN_LOG_LEVEL", "WARNING")
    (ROOT / "var").mkdir(exist_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary_ms(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
    }


def report(name: str, figures: dict[str, Any]) -> None:
    from django.db import connection

    figures = {"database": connection.vendor, **figures}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}-{connection.vendor}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    json.dump(figures, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
