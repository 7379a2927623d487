"""The only writers of the catalog: one function per state change, each audited in :class:`CatalogChange`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.catalog import hooks
from tongban.catalog.importing import guangan, guangdong, load, tongban_format
from tongban.catalog.importing.records import ItemRecord, RowError, parse_limit
from tongban.catalog.models import Bundle, BundleStep, CatalogChange, Item, ItemVersion, Material, ServiceObject, Theme
from tongban.common.public import Conflict, DomainError, log_event
from tongban.identity.public import User

logger = logging.getLogger(__name__)

READERS: dict[str, Callable[[Path], Iterator[tuple[int, ItemRecord | RowError]]]] = {
    guangdong.FORMAT: guangdong.read,
    guangan.FORMAT: guangan.read,
    tongban_format.FORMAT: tongban_format.read,
}


@dataclass
class ImportReport:
    path: str
    format: str
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "rows": self.rows,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "bad_rows": len(self.errors),
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


def count_rows(*, path: Path, format: str) -> int:
    """Lines (JSONL) or data rows (CSV), for a progress bar's total."""
    with path.open(encoding="utf-8") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines - 1 if format == guangan.FORMAT else lines


def catalog_import(
    *,
    path: Path,
    format: str,
    actor: User | None = None,
    progress: Callable[[int], None] | None = None,
    is_demo: bool = False,
) -> ImportReport:
    """Import a file; good rows are written even when others are bad (those are reported with line numbers)."""
    if format not in READERS:
        raise DomainError(_("Unknown import format %(format)s.") % {"format": format}, code="unknown_format")
    if not path.is_file():
        raise DomainError(_("No such file: %(path)s") % {"path": path}, code="file_missing")
    started = time.perf_counter()
    report = ImportReport(path=str(path), format=format)
    seen: set[str] = set()

    def good_rows() -> Iterator[ItemRecord]:
        for line, result in READERS[format](path):
            report.rows += 1
            if isinstance(result, RowError):
                report.errors.append({"line": line, "reason": str(result)})
                if progress:
                    progress(1)
                continue
            if result.code in seen:
                report.errors.append({"line": line, "reason": f"duplicate item code {result.code} in this file"})
                if progress:
                    progress(1)
                continue
            seen.add(result.code)
            result.is_demo = result.is_demo or is_demo
            yield result

    with transaction.atomic():
        stats = load.load(good_rows(), actor=actor, action="import", progress=progress)
        hooks.items_changed(stats.changed_codes)
    report.created, report.changed, report.unchanged = stats.created, stats.changed, stats.unchanged
    report.seconds = time.perf_counter() - started
    log_event(
        logger,
        "catalog_imported",
        format=format,
        rows=report.rows,
        created=report.created,
        changed=report.changed,
        bad_rows=len(report.errors),
    )
    return report


def item_records(*, codes: list[str] | None = None) -> Iterator[ItemRecord]:
    """The current version of every item (or of ``codes``) as exchange records, in code order."""
    items = Item.objects.filter(current_version__isnull=False).select_related(
        "department", "region__parent__parent__parent", "current_version"
    )
    if codes is not None:
        items = items.filter(code__in=codes)
    versions = ItemVersion.objects.filter(pk__in=items.values("current_version")).prefetch_related("materials")
    by_id = {version.pk: version for version in versions}
    for item in items.order_by("code"):
        version = by_id[item.current_version_id or 0]
        version.item = item
        yield load.record_of(version)


def _copy_version(source: ItemVersion, *, number: int, actor: User | None) -> ItemVersion:
    draft = ItemVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft._state.adding = True
    draft.number = number
    draft.status = ItemVersion.Status.DRAFT
    draft.created_by = actor
    draft.published_at = None
    draft.published_by = None
    draft.content_hash = ""
    draft.save()
    draft.themes.set(source.themes.all())
    draft.service_objects.set(source.service_objects.all())
    Material.objects.bulk_create(
        Material(
            version=draft,
            **{f.name: getattr(m, f.name) for f in Material._meta.concrete_fields if f.name not in {"id", "version"}},
        )
        for m in source.materials.all()
    )
    return draft


def item_draft_create(*, item: Item, actor: User | None) -> ItemVersion:
    """Start editing: a draft copy of the current version (or the open draft, if there is one)."""
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        open_draft = item.versions.filter(status=ItemVersion.Status.DRAFT).first()
        if open_draft is not None:
            return open_draft
        if item.current_version is None:
            raise Conflict(_("This item has no version to copy."), code="no_version")
        top = item.versions.order_by("-number").values_list("number", flat=True).first() or 0
        draft = _copy_version(item.current_version, number=top + 1, actor=actor)
        CatalogChange.objects.create(
            actor=actor, action="draft_created", item_code=item.code, version_number=draft.number
        )
    return draft


def version_edited(*, version: ItemVersion, actor: User | None, fields: list[str]) -> None:
    """Record an edit of a draft (the admin saves the fields; this keeps time limits parsed and audits)."""
    if version.status != ItemVersion.Status.DRAFT:
        raise Conflict(_("Only a draft version can be edited."), code="not_a_draft")
    with transaction.atomic():
        version.statutory_limit_days, version.statutory_limit_unit = _limit(version.statutory_limit_text)
        version.promised_limit_days, version.promised_limit_unit = _limit(version.promised_limit_text)
        version.save(
            update_fields=[
                "statutory_limit_days", "statutory_limit_unit", "promised_limit_days", "promised_limit_unit",
            ]
        )  # fmt: skip
        CatalogChange.objects.create(
            actor=actor,
            action="draft_edited",
            item_code=version.item.code,
            version_number=version.number,
            detail={"fields": sorted(fields)},
        )


def _limit(text: str) -> tuple[int | None, str]:
    try:
        return parse_limit(text)
    except RowError as exc:
        raise DomainError(str(exc), code="bad_time_limit", fields={"time_limit": str(exc)}) from exc


def item_version_publish(*, version: ItemVersion, actor: User | None) -> ItemVersion:
    """Make a draft the item's current version; the previous one stays readable as superseded."""
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
        if version.status != ItemVersion.Status.DRAFT:
            raise Conflict(_("Only a draft version can be published."), code="not_a_draft")
        item = Item.objects.select_for_update().get(pk=version.item_id)
        if item.current_version_id:
            ItemVersion.objects.filter(pk=item.current_version_id).update(status=ItemVersion.Status.SUPERSEDED)
        version.status = ItemVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = actor
        version.item = item
        version.service_object_list = _in_order(version.service_object_list, version.service_objects.all())
        version.theme_list = _in_order(version.theme_list, version.themes.all())
        version.content_hash = load.record_of(version).content_hash()
        version.save(
            update_fields=[
                "status",
                "published_at",
                "published_by",
                "content_hash",
                "service_object_list",
                "theme_list",
            ]
        )
        item.current_version = version
        item.save(update_fields=["current_version"])
        CatalogChange.objects.create(
            actor=actor, action="version_published", item_code=item.code, version_number=version.number
        )
        hooks.items_changed([item.code])
    return version


def _in_order(published: list[str], chosen: Iterable[Theme | ServiceObject]) -> list[str]:
    """The published order for names still chosen, then newly chosen names (the admin edits the M2M)."""
    names = [obj.name for obj in chosen]
    return [n for n in published if n in names] + sorted(n for n in names if n not in published)


def bundle_changed(*, bundle: Bundle, actor: User | None, created: bool, fields: list[str]) -> None:
    """Audit a bundle edit made in the admin."""
    CatalogChange.objects.create(
        actor=actor,
        action="bundle_created" if created else "bundle_edited",
        bundle_slug=bundle.slug,
        detail={"fields": sorted(fields)},
    )


def items_load(*, records: list[ItemRecord], actor: User | None) -> load.LoadStats:
    """Write records authored in code (demo items); unchanged ones are left alone."""
    with transaction.atomic():
        stats = load.load(records, actor=actor, action="authored")
        hooks.items_changed(stats.changed_codes)
    return stats


def bundle_upsert(
    *,
    slug: str,
    name: str,
    event: str,
    summary: str,
    keywords: str,
    shared_fields: list[str],
    steps: list[tuple[str, int]],
    is_demo: bool,
    actor: User | None,
) -> Bundle:
    """Create or replace a bundle with its steps ((item code, stage) in order)."""
    with transaction.atomic():
        bundle, created = Bundle.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "event": event,
                "summary": summary,
                "keywords": keywords,
                "shared_fields": shared_fields,
                "is_demo": is_demo,
            },
        )
        items = {item.code: item for item in Item.objects.filter(code__in=[code for code, _stage in steps])}
        missing = [code for code, _stage in steps if code not in items]
        if missing:
            raise DomainError(_("Unknown items: %(codes)s") % {"codes": ", ".join(missing)}, code="unknown_items")
        bundle.steps.all().delete()
        BundleStep.objects.bulk_create(
            BundleStep(bundle=bundle, item=items[code], stage=stage, position=position)
            for position, (code, stage) in enumerate(steps, start=1)
        )
        bundle_changed(bundle=bundle, actor=actor, created=created, fields=["steps"])
    return bundle
