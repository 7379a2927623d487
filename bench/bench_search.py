"""Search benchmark: hit@1, hit@5 and latency of the search assistant over both real catalogs.

    make bench ONLY=search                                                  # embedded SQLite (own file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongban_bench make bench ONLY=search

Uses DATABASE_URL when set, otherwise bench-results/search.sqlite3. Migrates, imports both catalogs from
TONGBAN_SHARED_DATA_DIR when the catalog is empty (timing the import), then asks every question of
bench/search_eval.jsonl (citizen wording, expected item codes). Writes bench-results/search-<vendor>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
RESULTS.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'search.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings.base")
os.environ.setdefault("TONGBAN_LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tongban.assistant.public import search  # noqa: E402
from tongban.catalog.demo import CATALOG_FILES  # noqa: E402
from tongban.catalog.selectors import published_items  # noqa: E402
from tongban.catalog.services import catalog_import  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", default=str(ROOT / "bench" / "search_eval.jsonl"))
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the question set")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    imported = {}
    if not published_items().exists():
        for relative, format in CATALOG_FILES:
            started = time.perf_counter()
            report = catalog_import(path=settings.SHARED_DATA_DIR / relative, format=format)
            imported[format] = {"rows": report.rows, "seconds": round(time.perf_counter() - started, 2)}
    items = published_items().count()
    questions = [json.loads(line) for line in Path(args.eval).read_text(encoding="utf-8").splitlines() if line]

    search(question="预热 社保卡", limit=5)  # loads the dictionary and the ranking statistics once
    hit1 = hit5 = 0
    misses = []
    for q in questions:
        codes = [hit.code for hit in search(question=q["question"], limit=5).hits]
        expected = set(q["expected"])
        hit1 += bool(codes[:1] and codes[0] in expected)
        hit5 += bool(expected & set(codes))
        if not (expected & set(codes[:1])):
            misses.append(
                {
                    "question": q["question"],
                    "expected": q["expected_names"],
                    "got": codes[:3],
                    "at5": bool(expected & set(codes)),
                }
            )
    latencies, with_guides = [], []
    for _ in range(args.repeat):
        for q in questions:
            started = time.perf_counter()
            search(question=q["question"], limit=5)
            latencies.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            search(question=q["question"], limit=5, with_guides=True)
            with_guides.append((time.perf_counter() - started) * 1000)
    result = {
        "database": connection.vendor,
        "items": items,
        "questions": len(questions),
        "hit@1": round(hit1 / len(questions), 4),
        "hit@5": round(hit5 / len(questions), 4),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p95": round(percentile(latencies, 95), 2),
            "p99": round(percentile(latencies, 99), 2),
            "max": round(max(latencies), 2),
            "queries": len(latencies),
        },
        "latency_with_guides_ms": {
            "p50": round(statistics.median(with_guides), 2),
            "p95": round(percentile(with_guides, 95), 2),
        },
        "import": imported,
        "misses_at_1": misses,
    }
    (RESULTS / f"search-{connection.vendor}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"database  {connection.vendor}   items {items}   questions {len(questions)}")
    if imported:
        print("import    " + "   ".join(f"{k} {v['rows']} rows {v['seconds']} s" for k, v in imported.items()))
    print(f"hit@1     {result['hit@1']:.1%}   (target ≥ 70 %)")
    print(f"hit@5     {result['hit@5']:.1%}   (target ≥ 90 %)")
    lat = result["latency_ms"]
    print(f"latency   p50 {lat['p50']} ms   p95 {lat['p95']} ms   p99 {lat['p99']} ms   (target p95 ≤ 20 ms)")
    guides = result["latency_with_guides_ms"]
    print(f"          with guide summaries of the 5 hits: p50 {guides['p50']} ms   p95 {guides['p95']} ms")
    for miss in misses if args.verbose else []:
        print(f"  miss{'' if miss['at5'] else ' (not in top 5)'}: {miss['question']} → {miss['expected']}")
    ok = result["hit@1"] >= 0.70 and result["hit@5"] >= 0.90 and lat["p95"] <= 20
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
