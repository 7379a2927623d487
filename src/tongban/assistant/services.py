"""Answering a question: segment, expand synonyms, match in the database, rank, attach a bundle and a summary."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from tongban.assistant import ranking, text
from tongban.assistant.backends import get_backend
from tongban.assistant.models import Synonym
from tongban.catalog.public import BundleEntry, ItemInfo, bundle_entries, items_info

SYNONYM_WEIGHT = 0.8
MAX_QUESTION = 200


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    department: str
    score: float
    matched: tuple[str, ...]


@dataclass
class Answer:
    question: str
    terms: list[str]
    hits: list[Hit]
    bundle: BundleEntry | None = None
    guides: dict[str, ItemInfo] = field(default_factory=dict)


_synonym_lock = threading.Lock()
_synonyms: tuple[tuple[object, ...], dict[str, list[str]]] | None = None


_synonyms_checked = 0.0
_bundles: tuple[float, list[BundleEntry]] | None = None


def synonyms() -> dict[str, list[str]]:
    """term → expansion tokens, cached per process; the table is re-checked every few seconds."""
    global _synonyms, _synonyms_checked
    if _synonyms is not None and time.monotonic() - _synonyms_checked < ranking.recheck_seconds():
        return _synonyms[1]
    key = tuple(Synonym.objects.aggregate(n=Count("id"), at=Max("updated_at")).values())
    _synonyms_checked = time.monotonic()
    if _synonyms is not None and _synonyms[0] == key:
        return _synonyms[1]
    with _synonym_lock:
        rows = list(Synonym.objects.values_list("term", "expansions"))
        text.add_words([term for term, _e in rows])
        table = {term: [t for phrase in expansions.split() for t in text.tokens(phrase)] for term, expansions in rows}
        _synonyms = (key, table)
        return table


def expand(question: str, stats: ranking.Stats) -> tuple[list[str], dict[str, float], list[set[str]]]:
    """(words of the question, weighted terms to search for, concept groups for coverage).

    A word no document contains (a colloquial compound) backs off to its dictionary sub-words; synonyms add the
    catalogue's words at a lower weight; single characters count half."""
    table = synonyms()
    lowered = question.lower()
    terms = text.query_terms(question)
    weighted: dict[str, float] = {}
    groups: list[set[str]] = []
    for term in terms:
        parts = [term] if stats.df.get(term) else [t for t in text.tokens(term) if stats.df.get(t) and t != term]
        for part in parts:
            weighted.setdefault(part, 1.0 if len(part) > 1 else 0.5)
        if parts and len(term) > 1:
            groups.append(set(parts))
    for term, expansions in table.items():
        if term in lowered:
            group = {t for t in expansions if stats.df.get(t)}
            for token in group:
                weighted[token] = max(weighted.get(token, 0.0), SYNONYM_WEIGHT)
            if not group:
                continue
            related = set(text.tokens(term))
            group |= {t for t in weighted if t in related}
            groups = [g for g in groups if not (g & group) and not (g <= related)] + [group]
    return terms, weighted, groups


def _bundle_entries() -> list[BundleEntry]:
    global _bundles
    if _bundles is None or time.monotonic() - _bundles[0] >= ranking.recheck_seconds():
        _bundles = (time.monotonic(), bundle_entries())
    return _bundles[1]


def invalidate() -> None:
    global _synonyms_checked, _bundles
    _synonyms_checked = 0.0
    _bundles = None
    ranking.invalidate()


def bundle_for(question: str) -> BundleEntry | None:
    for bundle in _bundle_entries():
        words = [bundle.name, *bundle.keywords.split()]
        if any(word and word in question for word in words):
            return bundle
    return None


def search(*, question: str, limit: int = 5, with_guides: bool = False, with_bundle: bool = True) -> Answer:
    """The best items for ``question`` (with why: the matched terms), the life-event bundle it names, and — with
    ``with_guides`` — a guide summary of each hit (materials, time limit, place, online depth)."""
    question = question.strip()[:MAX_QUESTION]
    stats = ranking.stats()
    _terms, weighted, groups = expand(question, stats)
    candidates = get_backend().match(sorted(weighted))
    weighted_idf = {term: weight * stats.idf(term) for term, weight in weighted.items()}
    scored = []
    for pk in candidates:
        doc = stats.docs.get(pk)
        if doc is None:
            continue
        value, matched = ranking.score(doc, weighted_idf)
        if groups:
            covered = sum(1 for group in groups if group & set(matched))
            value *= (covered / len(groups)) ** 2
        scored.append((-round(value, 6), doc.code, doc, matched))
    scored.sort(key=lambda row: (row[0], row[1]))
    hits = [
        Hit(code=doc.code, name=doc.name, department=doc.department, score=-neg, matched=tuple(matched))
        for neg, _code, doc, matched in scored[: max(1, min(limit, 50))]
    ]
    answer = Answer(question=question, terms=sorted(weighted, key=lambda t: (-weighted[t], t)), hits=hits)
    if with_bundle:
        answer.bundle = bundle_for(question)
    if with_guides and hits:
        answer.guides = items_info(codes=[hit.code for hit in hits])
    return answer


def describe_limit(info: ItemInfo) -> str:
    """The promised time limit (else the statutory one) in words."""
    days, unit = info.promised_limit_days, info.promised_limit_unit
    if days is None:
        days, unit = info.statutory_limit_days, info.statutory_limit_unit
    if days is None:
        if info.promised_limit_text or info.statutory_limit_text:
            return _("no time limit")
        return _("time limit not published")
    if unit == "natural":
        return _("%(days)d calendar days") % {"days": days}
    return _("%(days)d working days") % {"days": days}
