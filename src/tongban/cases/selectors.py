"""The only readers of cases. Every page and endpoint reads through these scoping functions."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from tongban.cases import dates
from tongban.cases.models import OPEN_STAGES, Case, CaseEvent, CaseMaterial, Stage, Suspension
from tongban.cases.roles import roles_on
from tongban.cases.workflow import Role, actions_for
from tongban.common.public import NotFound, shaped_value_rows, value_rows
from tongban.identity.public import StaffRole, StaffScope, User, staff_scope
from tongban.workcalendar.public import current_calendar, remaining_working_days


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """Applicants see their own cases and those they submitted for others; staff see their scope's."""
    if isinstance(user, AnonymousUser):
        return Case.objects.none()
    own = Q(applicant_id=user.pk) | Q(submitted_by_id=user.pk)
    if not user.is_staff:
        return Case.objects.filter(own)
    scope = staff_scope(user)
    if scope.everything:
        return Case.objects.all()
    visible = own | Q(department_id__in=scope.department_ids)
    if StaffRole.WINDOW_CLERK in scope.roles:
        for code in scope.region_codes:
            visible |= Q(region_code__startswith=code.rstrip("0") + "0" * (len(code.rstrip("0")) % 2))
    return Case.objects.filter(visible)


def case_get_for(user: User | AnonymousUser, case_id: int) -> Case:
    case = cases_visible_to(user).select_related("department").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."))
    return case


def remaining_days(case: Case, today: date | None = None) -> int | None:
    """Working days left to the due date; while the clock is stopped, as of the day it stopped."""
    if case.due is None or not case.is_open:
        return None
    as_of = case.suspended_since or today or dates.today()
    return remaining_working_days(as_of, case.due, current_calendar()).days


def staff_queue(
    user: User, *, stage: str = "", warning: str = "", query: str = "", limit: int = 50, offset: int = 0
) -> list[Case]:
    """Open cases of the officer's departments, most urgent first (earliest due date = fewest days left).

    Filtered on the department directly (not through the OR of :func:`cases_visible_to`) and ordered as the
    partial index ``case_open_queue`` (department, due, id) is, so a page of 50 reads 50 index entries even
    when a department has 100,000 open cases. An officer of several departments gets each department's page
    read that way and the pages merged (:func:`_in_index_order`); an administrator's (everything), each open
    stage's.
    """
    scope = staff_scope(user)
    if not (scope.everything or scope.department_ids):
        return []

    def page(part: StaffScope, part_stage: str, start: int, end: int) -> list[Case]:
        queue = _queue_of(part, user.pk, stage=part_stage, warning=warning, query=query)
        return list(queue.select_related("department").defer(*LIST_DEFERRED)[start:end])

    return _in_index_order(scope, stage, page, _case_order, limit, offset, by_stage=not query)


def staff_queue_rows(
    user: User, *, stage: str = "", warning: str = "", query: str = "", limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """:func:`staff_queue` as plain rows (the API's list shape), read without building model instances. The
    API's hottest read: its SQL is composed once per shape (which filters, how many departments, which page)."""
    scope = staff_scope(user)
    if not (scope.everything or scope.department_ids):
        return []
    if query:  # a search: composed each time (its patterns are not plain parameters)
        return _in_index_order(
            scope,
            stage,
            lambda part, part_stage, start, end: case_rows(
                _queue_of(part, user.pk, stage=part_stage, warning=warning, query=query)[start:end]
            ),
            _row_order,
            limit,
            offset,
            by_stage=False,
        )

    def page(part: StaffScope, part_stage: str, start: int, end: int) -> list[dict[str, Any]]:
        departments = sorted(part.department_ids)
        shape = ("staff_queue", part.everything, len(departments), bool(part_stage), bool(warning), start, end)
        values: dict[str, int | str] = {"user": user.pk, **{f"department{i}": d for i, d in enumerate(departments)}}
        if part_stage:
            values["stage"] = part_stage
        if warning:
            values["warning"] = warning

        def build(v: Mapping[str, Any]) -> QuerySet[Case]:
            ids = frozenset(v[f"department{i}"] for i in range(len(departments)))
            shaped = StaffScope(ids, part.region_codes, part.roles, everything=part.everything)
            queue = _queue_of(shaped, v["user"], stage=v.get("stage", ""), warning=v.get("warning", ""), query="")
            return queue[start:end]

        return shaped_value_rows(shape, build, values, _row_names())

    return _listed(_in_index_order(scope, stage, page, _row_order, limit, offset))


def _row_order(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A queue row's place: due date first, cases without one last, then id (as ``_queue_of`` orders)."""
    return (row["due"] is None, row["due"], row["id"])


def _case_order(case: Case) -> tuple[Any, ...]:
    """:func:`_row_order` for a case read as a model instance."""
    return (case.due is None, case.due, case.pk)


Row = TypeVar("Row")


def _in_index_order(
    scope: StaffScope,
    stage: str,
    page: Callable[[StaffScope, str, int, int], list[Row]],
    key: Callable[[Row], tuple[Any, ...]],
    limit: int,
    offset: int,
    *,
    by_stage: bool = True,
) -> list[Row]:
    """Rows ``offset`` to ``offset + limit`` of the queue in (due, id) order, read in parts an index walks in that
    order. ``page(scope, stage, start, end)`` reads one part.

    PostgreSQL cannot walk an index in order for a list of keys: for several departments it sorted every open
    case of them (270 ms for two departments of 100,000 open cases each), and for everything (an administrator)
    it sorted every open case (270 ms at 1,000,000 cases). So an officer of several departments gets each
    department's first ``offset + limit`` rows (``case_open_queue``: department, due, id), everything gets each
    open stage's (``case_stage_queue``: stage, due, id), and the parts are merged here. ``by_stage=False`` reads
    everything in one part: a search filters on text no index holds, so walking each stage's index would not
    stop early."""
    if scope.everything:
        split = by_stage and not stage
        parts = [(scope, str(open_stage)) for open_stage in OPEN_STAGES] if split else [(scope, stage)]
    else:
        parts = [
            (StaffScope(frozenset({department}), scope.region_codes, scope.roles, everything=False), stage)
            for department in sorted(scope.department_ids)
        ]
    if len(parts) == 1:
        return page(parts[0][0], parts[0][1], offset, offset + limit)
    pages = [page(part, part_stage, 0, offset + limit) for part, part_stage in parts]
    return list(islice(heapq.merge(*pages, key=key), offset, offset + limit))


def _queue_of(scope: StaffScope, user_id: int, *, stage: str, warning: str, query: str) -> QuerySet[Case]:
    cases = Case.objects.filter(stage__in=OPEN_STAGES)
    if not scope.everything:
        cases = cases.filter(department_id__in=scope.department_ids)
    if stage:
        cases = cases.filter(stage=stage)
    if warning:
        cases = cases.filter(warning=warning)
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(item_name__icontains=query))
    return cases.exclude(applicant_id=user_id).order_by(F("due").asc(nulls_last=True), "id")


# What a list of cases never shows: the form's answers and their sources, and the stage plan (JSON, decoded
# per row). A page that shows one of them reads the case itself.
LIST_DEFERRED = ("form_data", "form_sources", "stage_plan")


def my_cases(user: User, *, limit: int = 50, offset: int = 0) -> list[Case]:
    """The user's own applications and those they submitted for others, newest first."""
    pages = [part.defer(*LIST_DEFERRED)[: offset + limit] for part in _mine(user)]
    newest = sorted([*pages[0], *pages[1]], key=lambda c: (c.created_at, c.pk), reverse=True)
    return newest[offset : offset + limit]


def my_case_rows(user: User, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """:func:`my_cases` as plain rows (the API's list shape)."""
    pages = [case_rows(part[: offset + limit], extra=("created_at",)) for part in _mine(user)]
    newest = sorted([*pages[0], *pages[1]], key=lambda r: (r["created_at"], r["id"]), reverse=True)
    page = newest[offset : offset + limit]
    for row in page:
        del row["created_at"]
    return page


def _mine(user: User) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """Own applications, and applications submitted for someone else — two queries that each read an index
    in order (``case_applicant``; for the second, a partial index on cases submitted for others would make it
    as cheap), rather than one OR that must sort all of a frequent applicant's cases."""
    order = ("-created_at", "-id")
    own = Case.objects.filter(applicant_id=user.pk).order_by(*order)
    for_others = (
        Case.objects.filter(submitted_by_id=user.pk).exclude(applicant_id=F("submitted_by_id")).order_by(*order)
    )
    return own, for_others


_ROW_FIELDS = (
    "id", "number", "item_code", "item_name", "item_version", "stage", "outcome", "outcome_reason", "channel",
    "accepted_on", "statutory_due", "promised_due", "due", "due_provisional", "warning", "version",
)  # fmt: skip


_DATE_FIELDS = ("accepted_on", "statutory_due", "promised_due", "due")


def case_rows(cases: QuerySet[Case], *, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Cases as the API lists them (its ``CaseOut``; dates already as ISO text), with the working days left
    counted from one today."""
    return _listed(value_rows(cases, _row_names(extra)))


def _row_names(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    return (*_ROW_FIELDS, *extra, "suspended_since")


def _listed(read: list[dict[str, Any]]) -> list[dict[str, Any]]:
    today, calendar = dates.today(), current_calendar()
    counted: dict[tuple[date, date], int] = {}  # a queue is ordered by due date: neighbours share one
    rows = []
    for row in read:
        due, suspended_since = row["due"], row.pop("suspended_since")
        remaining = None
        if due is not None and row["stage"] in OPEN_STAGES:
            span = (suspended_since or today, due)
            if span not in counted:
                counted[span] = remaining_working_days(span[0], due, calendar).days
            remaining = counted[span]
        row["remaining_working_days"] = remaining
        for name in _DATE_FIELDS:  # written as JSON does, here: the encoder's fallback per value cost more
            if row[name] is not None:
                row[name] = row[name].isoformat()
        rows.append(row)
    return rows


def available_actions(case: Case, user: User | AnonymousUser) -> list[str]:
    return actions_for(case.stage, set(roles_on(case, user)), list(case.stage_plan))


def open_supplement(case: Case) -> Suspension | None:
    if case.stage != Stage.SUPPLEMENT:
        return None
    return case.suspensions.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    action: str
    to_stage: str
    comment: str
    by_role: str


def timeline(case: Case, *, for_public: bool = False) -> list[TimelineEntry]:
    """The parcel-style history. The public status link shows roles, never names or comments."""
    known = _prefetched(case, "events")
    if known is not None:
        ordered = sorted((e for e in known if e.action != "start"), key=lambda e: (e.at, e.pk))
        return [TimelineEntry(e.at, e.action, e.to_stage, "" if for_public else e.comment, e.role) for e in ordered]
    events = shaped_value_rows(
        "cases.timeline",
        lambda v: CaseEvent.objects.filter(case_id=v["case"]).exclude(action="start").order_by("at", "id"),
        {"case": case.pk},
        ("at", "action", "to_stage", "comment", "role"),
    )  # read on every case page and after every action: its SQL is composed once
    return [
        TimelineEntry(e["at"], e["action"], e["to_stage"], "" if for_public else e["comment"], e["role"])
        for e in events
    ]


def held_material_rows(case: Case) -> list[dict[str, Any]]:
    """What the case holds for its materials, in guide order, as the API shows it (its SQL composed once)."""
    known = _prefetched(case, "materials")
    if known is not None:
        ordered = sorted(known, key=lambda m: (m.position, m.pk))
        return [{name: getattr(m, name) for name in _HELD_MATERIAL_FIELDS} for m in ordered]
    return shaped_value_rows(
        "cases.held_material_rows",
        lambda v: CaseMaterial.objects.filter(case_id=v["case"]).order_by("position", "id"),
        {"case": case.pk},
        _HELD_MATERIAL_FIELDS,
    )


_HELD_MATERIAL_FIELDS = ("position", "name", "source", "trust_level", "reference")


def _prefetched(case: Case, relation: str) -> list[Any] | None:
    """The case's related rows when already known (prefetched, or just written by the service), else None."""
    cache: dict[str, Any] = getattr(case, "_prefetched_objects_cache", {})
    return list(cache[relation]) if relation in cache else None


def is_staff_on(case: Case, user: User | AnonymousUser) -> bool:
    return bool(roles_on(case, user) - {Role.APPLICANT})


# --- Readers for the case pages (portal, workbench, status link) -------------------------------------------
def case_for_status_link(case_id: int) -> Case | None:
    """A submitted case for the signed public status link; the link itself is the authorisation."""
    return Case.objects.filter(pk=case_id, number__isnull=False).first()


def draft_for(user: User, item_code: str) -> Case | None:
    """The applicant's latest unsubmitted draft for this item, to resume instead of starting another."""
    drafts = cases_visible_to(user).filter(applicant_id=user.pk, item_code=item_code, stage=Stage.DRAFT)
    return drafts.order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class MaterialRow:
    """One material the guide lists, with how (and whether) this case satisfies it."""

    position: int
    name: str
    required: bool
    substitute: str
    original: str
    copies: int | None
    provided: CaseMaterial | None

    @property
    def commitment_allowed(self) -> bool:
        return self.substitute == "commitment"


def material_rows(case: Case) -> list[MaterialRow]:
    """The item's materials in guide order, each paired with what the case holds for it."""
    held = {m.position: m for m in case.materials.all()}
    return [
        MaterialRow(
            position=m["position"],
            name=m["name"],
            required=m.get("requirement") == "required",
            substitute=m.get("substitute") or "",
            original=m.get("original") or "",
            copies=m.get("copies"),
            provided=held.get(m["position"]),
        )
        for m in sorted(case.item_snapshot.get("materials", []), key=lambda m: m["position"])
    ]


def case_material_for(user: User | AnonymousUser, case_id: int, position: int) -> CaseMaterial:
    """A material's stored file, for someone who may see the case; NotFound otherwise."""
    material = CaseMaterial.objects.filter(case=case_get_for(user, case_id), position=position).first()
    if material is None or not material.file:
        raise NotFound(_("No such material."))
    return material


@dataclass(frozen=True)
class ChecklistRow:
    position: int | None
    name: str
    note: str
    supplied_at: Any


def supplement_checklist(case: Case) -> list[ChecklistRow]:
    """The open 补正 checklist, each line marked with when a material was provided after the request."""
    suspension = open_supplement(case)
    if suspension is None:
        return []
    asked = CaseEvent.objects.filter(case=case, action="request_supplement").order_by("-at", "-id").first()
    since = asked.at if asked else None
    held = {m.position: m.added_at for m in case.materials.all()}
    rows = []
    for line in suspension.checklist:
        position = line.get("position")
        added = held.get(position) if isinstance(position, int) else None
        rows.append(
            ChecklistRow(
                position=position if isinstance(position, int) else None,
                name=str(line.get("name", "")),
                note=str(line.get("note", "")),
                supplied_at=added if added is not None and since is not None and added >= since else None,
            )
        )
    return rows
