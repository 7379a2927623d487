"""API endpoints of the assistant context. Thin: parse, call the context's public services/selectors, shape."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tongban.assistant.public import describe_limit, search

router = Router(tags=["assistant"])


class Question(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="the question, in the citizen's own words")
    limit: int = Field(5, ge=1, le=20)


class Hit(Schema):
    code: str
    name: str
    department: str
    score: float
    matched: list[str]
    time_limit: str | None
    online_depth: str | None
    materials: list[str]
    place: str | None


class BundleRef(Schema):
    slug: str
    name: str
    summary: str


class Answer(Schema):
    question: str
    terms: list[str]
    bundle: BundleRef | None
    results: list[Hit]


@router.get("", response=Answer, summary="Answer a question with the best service items")
def ask(request: HttpRequest, params: Query[Question]) -> dict[str, Any]:
    answer = search(question=params.q, limit=params.limit, with_guides=True)
    results = []
    for hit in answer.hits:
        guide = answer.guides.get(hit.code)
        results.append(
            {
                "code": hit.code,
                "name": hit.name,
                "department": hit.department,
                "score": round(hit.score, 4),
                "matched": list(hit.matched),
                "time_limit": describe_limit(guide) if guide else None,
                "online_depth": guide.online_depth if guide else None,
                "materials": [m.name for m in guide.materials] if guide else [],
                "place": guide.place if guide else None,
            }
        )
    bundle = answer.bundle
    return {
        "question": answer.question,
        "terms": answer.terms,
        "bundle": {"slug": bundle.slug, "name": bundle.name, "summary": bundle.summary} if bundle else None,
        "results": results,
    }
