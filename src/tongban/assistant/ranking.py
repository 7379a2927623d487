"""Ranking the candidates a backend matched: BM25 over two fields (title ×3, body ×1), computed in Python from
the same stored tokens on every database, so SQLite and PostgreSQL give identical results.

Per-document statistics (~3,400 rows) are cached per process and rebuilt when the index changes (checked with
one cheap aggregate per query)."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max

from tongban.assistant.models import SearchDocument

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0


@dataclass
class Doc:
    id: int
    code: str
    name: str
    department: str
    title: Counter[str]
    body: Counter[str]
    title_len: int
    body_len: int
    title_norm: float = 1.0
    body_norm: float = 1.0


@dataclass
class Stats:
    key: tuple[object, ...]
    docs: dict[int, Doc]
    df: Counter[str]
    avg_title: float
    avg_body: float

    def idf(self, term: str) -> float:
        n = len(self.docs)
        df = self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


_lock = threading.Lock()
_stats: Stats | None = None
_checked_at = 0.0


def recheck_seconds() -> float:
    """Another process's index change is noticed within this many seconds; this process's own at once
    (index.reindex calls invalidate())."""
    return float(settings.SEARCH_RECHECK_SECONDS)


def invalidate() -> None:
    global _checked_at
    _checked_at = 0.0


def stats() -> Stats:
    global _stats, _checked_at
    current = _stats
    if current is not None and time.monotonic() - _checked_at < recheck_seconds():
        return current
    key = tuple(SearchDocument.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id")).values())
    _checked_at = time.monotonic()
    if current is not None and current.key == key:
        return current
    with _lock:
        docs: dict[int, Doc] = {}
        df: Counter[str] = Counter()
        rows = SearchDocument.objects.values_list("id", "code", "name", "department", "title_tokens", "body_tokens")
        for pk, code, name, department, title_tokens, body_tokens in rows.iterator(chunk_size=1000):
            title, body = Counter(title_tokens.split()), Counter(body_tokens.split())
            docs[pk] = Doc(pk, code, name, department, title, body, sum(title.values()), sum(body.values()))
            df.update(set(title) | set(body))
        n = max(len(docs), 1)
        built = Stats(
            key=key,
            docs=docs,
            df=df,
            avg_title=sum(d.title_len for d in docs.values()) / n or 1.0,
            avg_body=sum(d.body_len for d in docs.values()) / n or 1.0,
        )
        for doc in docs.values():
            doc.title_norm = TITLE_WEIGHT / (1 - B + B * doc.title_len / built.avg_title)
            doc.body_norm = BODY_WEIGHT / (1 - B + B * doc.body_len / built.avg_body)
        _stats = built
        return built


def score(doc: Doc, weighted_idf: dict[str, float]) -> tuple[float, list[str]]:
    """BM25F-style score and the matched terms (the 'why' shown to the citizen).

    ``weighted_idf`` is each query term's weight × idf."""
    total = 0.0
    matched = []
    title, body = doc.title, doc.body
    for term, weight in weighted_idf.items():
        tf = title.get(term, 0) * doc.title_norm + body.get(term, 0) * doc.body_norm
        if tf:
            matched.append(term)
            total += weight * tf * (K1 + 1) / (tf + K1)
    return total, matched
