"""The API's staff queue composes its SQL once per shape (common.rows.shaped_value_rows); every later call must
read exactly what the ORM query for its own officer, filters and page reads."""

from __future__ import annotations

from typing import Any

import pytest

from tongban.cases import services
from tongban.cases.selectors import _queue, case_rows, staff_queue_rows
from tongban.cases.tests.factories import citizen, office
from tongban.common import rows
from tongban.identity.models import StaffAssignment, StaffRole

pytestmark = pytest.mark.django_db


def _apply(desk, applicant, key):
    case, _created = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={"说明": "申请"},
        materials=[], idempotency_key=key,
    )  # fmt: skip
    return case


def _orm_page(user, **filters):
    limit, offset = filters.pop("limit", 50), filters.pop("offset", 0)
    queue = _queue(user, stage=filters.get("stage", ""), warning=filters.get("warning", ""), query="")
    return [] if queue is None else case_rows(queue[offset : offset + limit])


def test_each_call_reads_its_own_officer_filters_and_page(monkeypatch):
    monkeypatch.setattr(rows, "_statements", {})
    first, second = office(materials=0), office(materials=0)
    applicant = citizen()
    ours = [_apply(first, applicant, f"first-{n:04d}") for n in range(5)]
    theirs = [_apply(second, applicant, f"second-{n:04d}") for n in range(3)]
    services.case_accept(case_id=ours[0].pk, actor=first.clerk)
    both = StaffAssignment.objects.create(user=citizen(is_staff=True), department=first.department, role="handler")
    StaffAssignment.objects.create(user=both.user, department=second.department, role=StaffRole.HANDLER)

    calls: list[tuple[Any, dict[str, Any]]] = [
        (first.handler, {}),
        (second.handler, {}),  # same shape (one department), other values
        (both.user, {}),  # two departments: another shape
        (first.handler, {"stage": "handling"}),
        (second.handler, {"stage": "handling"}),
        (first.handler, {"stage": "submitted", "limit": 2, "offset": 1}),
        (second.handler, {"stage": "submitted", "limit": 2, "offset": 1}),
        (first.handler, {"warning": "green"}),
    ]
    for user, filters in calls * 2:  # the second round reads every shape from the cache
        assert staff_queue_rows(user, **filters) == _orm_page(user, **filters), (user, filters)
    assert {r["id"] for r in staff_queue_rows(first.handler)} == {c.pk for c in ours}
    assert {r["id"] for r in staff_queue_rows(second.handler)} == {c.pk for c in theirs}
    assert len(staff_queue_rows(both.user)) == 8
    assert [r["stage"] for r in staff_queue_rows(first.handler, stage="handling")] == ["handling"]
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
