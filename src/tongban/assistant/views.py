"""The search page: a plain GET form that htmx upgrades to live results while typing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongban.assistant.services import Answer, Hit, describe_limit, search
from tongban.catalog.public import ItemInfo

LIMIT = 8


Row = tuple[Hit, ItemInfo | None, str]


def _answer(request: HttpRequest) -> tuple[str, Answer | None, list[Row]]:
    q = (request.GET.get("q") or "").strip()[:200]
    if not q:
        return q, None, []
    answer = search(question=q, limit=LIMIT, with_guides=True)
    rows: list[Row] = []
    for hit in answer.hits:
        guide = answer.guides.get(hit.code)
        rows.append((hit, guide, describe_limit(guide) if guide else ""))
    return q, answer, rows


def search_page(request: HttpRequest) -> HttpResponse:
    q, answer, rows = _answer(request)
    template = "assistant/_results.html" if getattr(request, "htmx", False) else "assistant/search.html"
    return render(request, template, {"q": q, "answer": answer, "rows": rows})
