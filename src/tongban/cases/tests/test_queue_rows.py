"""The API's staff queue composes its SQL once per shape (common.rows.shaped_value_rows), an officer of several
departments gets each department's page merged, and an administrator each open stage's; every call must read
exactly what the one ORM query for its own officer, filters and page reads."""

from __future__ import annotations

from typing import Any

import pytest

from tongban.cases import services
from tongban.cases.selectors import _queue_of, case_rows, staff_queue, staff_queue_rows
from tongban.cases.tests.factories import citizen, office
from tongban.common import rows
from tongban.identity.models import StaffAssignment, StaffRole
from tongban.identity.public import staff_scope

pytestmark = pytest.mark.django_db


def _apply(desk, applicant, key):
    case, _created = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={"说明": "申请"},
        materials=[], idempotency_key=key,
    )  # fmt: skip
    return case


def _orm_page(user, **filters):
    """The queue as one ORM query over all the officer's departments: what the merged pages must equal."""
    limit, offset = filters.pop("limit", 50), filters.pop("offset", 0)
    scope = staff_scope(user)
    queue = _queue_of(scope, user.pk, stage=filters.get("stage", ""), warning=filters.get("warning", ""),
                      query=filters.get("query", ""))  # fmt: skip
    return case_rows(queue[offset : offset + limit])


def test_each_call_reads_its_own_officer_filters_and_page(monkeypatch):
    monkeypatch.setattr(rows, "_statements", {})
    first, second = office(materials=0), office(materials=0)
    applicant = citizen()
    ours = [_apply(first, applicant, f"first-{n:04d}") for n in range(5)]
    theirs = [_apply(second, applicant, f"second-{n:04d}") for n in range(3)]
    for case, desk in ((ours[0], first), (theirs[1], second), (ours[3], first)):  # due dates among the two
        services.case_accept(case_id=case.pk, actor=desk.clerk)
    services.case_forward(case_id=ours[3].pk, actor=first.handler)  # a third open stage (review)
    both = StaffAssignment.objects.create(user=citizen(is_staff=True), department=first.department, role="handler")
    StaffAssignment.objects.create(user=both.user, department=second.department, role=StaffRole.HANDLER)
    administrator = citizen(is_staff=True, is_superuser=True)  # everything: each open stage's page, merged

    calls: list[tuple[Any, dict[str, Any]]] = [
        (first.handler, {}),
        (second.handler, {}),  # same shape (one department), other values
        (both.user, {}),  # two departments: each one's page, merged
        (both.user, {"limit": 3, "offset": 2}),
        (both.user, {"limit": 2, "offset": 6}),
        (both.user, {"stage": "submitted", "limit": 4}),
        (both.user, {"query": ours[0].number[:6], "limit": 3, "offset": 1}),  # a search, merged too
        (first.handler, {"stage": "handling"}),
        (second.handler, {"stage": "handling"}),
        (first.handler, {"stage": "submitted", "limit": 2, "offset": 1}),
        (second.handler, {"stage": "submitted", "limit": 2, "offset": 1}),
        (first.handler, {"warning": "green"}),
        (administrator, {}),
        (administrator, {"limit": 3, "offset": 2}),
        (administrator, {"limit": 2, "offset": 5}),
        (administrator, {"stage": "handling"}),
        (administrator, {"warning": "green", "limit": 4}),
        (administrator, {"query": ours[0].number[:6], "limit": 3, "offset": 1}),  # a search: one query
    ]
    for user, filters in calls * 2:  # the second round reads every shape from the cache
        assert staff_queue_rows(user, **filters) == _orm_page(user, **filters), (user, filters)
    assert {r["id"] for r in staff_queue_rows(first.handler)} == {c.pk for c in ours}
    assert {r["id"] for r in staff_queue_rows(second.handler)} == {c.pk for c in theirs}
    assert len(staff_queue_rows(both.user)) == 8
    assert len(staff_queue_rows(both.user, query=ours[0].number[:6], limit=3, offset=1)) == 3  # the search finds
    assert [c.pk for c in staff_queue(both.user, limit=3, offset=2)] == [
        r["id"] for r in _orm_page(both.user, limit=3, offset=2)
    ]  # the workbench page's path
    assert [r["stage"] for r in staff_queue_rows(first.handler, stage="handling")] == ["handling"]
    assert {r["stage"] for r in staff_queue_rows(administrator)} == {"submitted", "handling", "review"}
    assert len(staff_queue_rows(administrator)) == 8
    assert [c.pk for c in staff_queue(administrator, limit=3, offset=2)] == [
        r["id"] for r in _orm_page(administrator, limit=3, offset=2)
    ]  # the workbench page's path, for everything
    assert [s for s, st in rows._statements.items() if st is None] == []  # every shape was cacheable


def test_an_officer_never_sees_their_own_application(monkeypatch):
    monkeypatch.setattr(rows, "_statements", {})
    desk = office(materials=0)
    other = citizen()
    _apply(desk, other, "other-0001")
    own = _apply(desk, desk.handler, "own-00001")
    assert own.pk not in {r["id"] for r in staff_queue_rows(desk.handler)}
    assert own.pk in {r["id"] for r in staff_queue_rows(desk.reviewer)}  # same shape, another officer


def test_an_empty_filter_reads_nothing_and_a_positive_integer_slot_still_composes_once(monkeypatch):
    from tongban.cases.models import Case

    monkeypatch.setattr(rows, "_statements", {})
    build = lambda v: Case.objects.filter(item_version=v["version"])  # noqa: E731
    assert rows.value_rows(Case.objects.filter(pk__in=[]), ("id",)) == []
    assert rows.shaped_value_rows("versions", build, {"version": 1}, ("id",)) == []
    assert rows._statements["versions"] is not None
