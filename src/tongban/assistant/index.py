"""Keeping the search index in step with the catalog (registered as a catalog listener in apps.py)."""

from __future__ import annotations

from django.db import transaction

from tongban.assistant import ranking, text
from tongban.assistant.backends import get_backend
from tongban.assistant.models import SearchDocument
from tongban.catalog.public import IndexDocument, index_documents

BATCH = 500


def _fields(doc: IndexDocument) -> tuple[str, str]:
    title_parts = [doc.name, doc.sub_item_name]
    if doc.parent_name and doc.parent_name not in {doc.name, "未分类"}:
        title_parts.append(doc.parent_name)
    body_parts = [doc.department, *doc.themes, *doc.materials]
    title = " ".join(text.tokens(" ".join(part for part in title_parts if part)))
    body = " ".join(text.tokens(" ".join(part for part in body_parts if part and part != "其他")))
    return title, body


def reindex_items(codes: list[str]) -> None:
    """Catalog listener: reindex the items that changed."""
    reindex(codes)


def reindex(codes: list[str] | None = None) -> int:
    """(Re)index the published items ``codes`` (all when None); drop documents whose item is gone."""
    backend = get_backend()
    count = 0
    with transaction.atomic():
        if codes is None:
            backend.clear()
            SearchDocument.objects.all().delete()
        batch: list[IndexDocument] = []
        seen: set[str] = set()

        def flush() -> None:
            existing = dict(SearchDocument.objects.filter(code__in=[d.code for d in batch]).values_list("code", "id"))
            rows = []
            for doc in batch:
                title, body = _fields(doc)
                rows.append(
                    SearchDocument(
                        id=existing.get(doc.code),
                        code=doc.code,
                        name=doc.name,
                        department=doc.department,
                        title_tokens=title,
                        body_tokens=body,
                    )
                )
            created = [row for row in rows if row.id is None]
            updated = [row for row in rows if row.id is not None]
            SearchDocument.objects.bulk_create(created)
            for row in updated:
                row.save()
            backend.index((row.pk, row.title_tokens, row.body_tokens) for row in rows)

        for doc in index_documents(codes=codes):
            seen.add(doc.code)
            batch.append(doc)
            count += 1
            if len(batch) >= BATCH:
                flush()
                batch = []
        if batch:
            flush()
        if codes is not None:
            gone = list(SearchDocument.objects.filter(code__in=set(codes) - seen).values_list("id", flat=True))
            backend.remove(gone)
            SearchDocument.objects.filter(id__in=gone).delete()
    ranking.invalidate()
    return count
