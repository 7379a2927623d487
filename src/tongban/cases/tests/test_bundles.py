"""一件事: one application, children in parallel and in order, one pre-check, idempotent, completes once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils.translation import gettext

from tongban.cases import aftercare, bundles, services
from tongban.cases.models import BundleCase, BundleStatus, Case, CaseMaterial, Outcome, Stage
from tongban.cases.tests.bundle_setup import Setup, applicant, approve_through, small_bundle
from tongban.cases.tests.factories import PDF
from tongban.common.models import AuditEvent, Message
from tongban.common.public import DomainError
from tongban.licenses.public import licenses_held_by

pytestmark = pytest.mark.django_db

ANSWERS = {"name": "张记小吃", "address": "广安区建设路1号", "area": "45"}


def _materials(setup: Setup, *, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    plan = bundles.bundle_plan(slug=setup.slug)
    return [
        {"key": m.key, "source": "upload", "content": PDF, "filename": f"{m.key}.pdf"}
        for m in plan.materials
        if not m.from_step and not m.commitment_steps and m.name not in skip
    ]


def _apply(setup: Setup, person: Any, *, key: str = "k1", commit: bool = True, **kwargs: Any) -> tuple[Any, bool]:
    arguments: dict[str, Any] = {
        "applicant": person,
        "actor": person,
        "slug": setup.slug,
        "form_data": ANSWERS,
        "materials": _materials(setup),
        "commit_for": [setup.permit.item_code] if commit else [],
        "idempotency_key": key,
        **kwargs,
    }
    return bundles.bundle_apply(**arguments)


def _child(bundle: BundleCase, desk: Any) -> Case:
    return bundle.children.get(item_code=desk.item_code)


def test_the_plan_asks_shared_answers_once_dedups_materials_and_measures_the_saving(license_keys):
    setup = small_bundle()
    plan = bundles.bundle_plan(slug=setup.slug)
    assert [f.name for f in plan.fields] == ["name", "address", "area"]
    assert plan.fields[0].steps == (1, 2, 3)
    names = {m.name: m for m in plan.materials}
    assert list(names) == ["身份证", "登记申请书", "营业执照", "管理制度", "效果图"]
    assert names["身份证"].positions == {1: 1, 2: 1, 3: 1}
    assert names["营业执照"].from_step == "开店登记"
    assert names["管理制度"].commitment_steps == (2,)
    saving = plan.saving
    assert (saving.materials_before, saving.materials_after) == (7, 5)
    assert (saving.days_before, saving.days_after) == (1 + 10 + 5, 1 + 10)  # stage 2 in parallel: its slowest
    assert (saving.statutory_days_before, saving.statutory_days_after) == (55, 35)
    assert saving.shared_materials == ["身份证"]


def test_one_submission_creates_the_parent_and_children_with_shared_answers_and_materials(license_keys):
    setup = small_bundle()
    person = applicant()
    bundle, created = _apply(setup, person)
    assert created and bundle.number.startswith("YJS-") and bundle.status == BundleStatus.OPEN
    register, permit, sign = (_child(bundle, d) for d in setup.offices)
    assert register.stage == Stage.SUBMITTED and register.number
    assert permit.stage == sign.stage == Stage.WAITING and permit.number and sign.number
    assert permit.form_data == {"name": "张记小吃", "address": "广安区建设路1号", "area": 45}
    assert sign.form_data == {"name": "张记小吃", "address": "广安区建设路1号"}
    # 身份证 handed in once, attached to every child that lists it.
    assert CaseMaterial.objects.filter(case__parent=bundle, name="身份证", source="upload").count() == 3
    assert permit.materials.get(name="管理制度").source == CaseMaterial.Source.COMMITMENT
    assert bundle.saving["materials_after"] == 5
    # Staff of a waiting child cannot act on it yet: the table has no person's rule for "waiting".
    with pytest.raises(DomainError):
        services.case_accept(case_id=permit.pk, actor=setup.permit.handler)


def test_a_retry_with_the_same_key_creates_nothing(license_keys):
    setup = small_bundle()
    person = applicant()
    first, _created = _apply(setup, person)
    again, created = _apply(setup, person)
    assert (again.pk, created) == (first.pk, False)
    assert BundleCase.objects.count() == 1 and Case.objects.filter(parent__isnull=False).count() == 3


def test_one_precheck_names_everything_missing_across_children_and_stores_nothing(license_keys):
    setup = small_bundle()
    person = applicant()
    with pytest.raises(DomainError) as refused:
        _apply(setup, person, form_data={"name": "张记小吃"}, materials=_materials(setup, skip=("身份证",)),
               commit=False)  # fmt: skip
    assert refused.value.code == "precheck_failed"
    plan = bundles.bundle_plan(slug=setup.slug)
    keys = {m.name: m.key for m in plan.materials}
    assert set(refused.value.fields) == {
        "form_address",
        "form_area",
        f"material_{keys['身份证']}",
        f"material_{keys['管理制度']}",
    }  # 营业执照 is not asked: it comes from stage 1's result
    assert str(refused.value.message) == gettext("Some things are still missing; the list shows each one.")
    assert not Case.objects.exists() and not BundleCase.objects.exists()


def test_stage_two_waits_then_runs_in_parallel_and_a_supplement_pauses_only_that_child(license_keys):
    setup = small_bundle()
    person = applicant()
    bundle, _created = _apply(setup, person)
    register = _child(bundle, setup.register)
    approve_through(register.pk, setup.register)
    permit, sign = _child(bundle, setup.permit), _child(bundle, setup.sign)
    assert permit.stage == sign.stage == Stage.SUBMITTED  # released together, each to its department
    licence = permit.materials.get(name="营业执照")
    assert licence.source == CaseMaterial.Source.E_LICENSE  # stage 1's result, attached by the platform
    assert licence.reference == licenses_held_by(person)[0].number
    assert permit.events.filter(action="release", role=aftercare.PLATFORM).exists()

    services.case_accept(case_id=permit.pk, actor=setup.permit.handler)
    services.case_accept(case_id=sign.pk, actor=setup.sign.handler)
    services.case_request_supplement(
        case_id=sign.pk, actor=setup.sign.handler, reason="效果图不清晰",
        checklist=[{"position": 2, "name": "效果图", "note": "请重新上传"}],
    )  # fmt: skip
    permit.refresh_from_db()
    sign.refresh_from_db()
    assert sign.stage == Stage.SUPPLEMENT and sign.suspended_since is not None
    assert permit.stage == Stage.HANDLING and permit.suspended_since is None  # its clock runs on
    assert not permit.suspensions.exists() and sign.suspensions.count() == 1  # each child has its own clock

    services.case_attach_material(case_id=sign.pk, actor=person, position=2, source="upload", content=PDF)
    services.case_supply(case_id=sign.pk, actor=person)
    approve_through(permit.pk, setup.permit)
    assert BundleCase.objects.get(pk=bundle.pk).status == BundleStatus.OPEN
    approve_through(sign.pk, setup.sign)
    bundle = BundleCase.objects.get(pk=bundle.pk)
    assert bundle.status == BundleStatus.COMPLETED and bundle.completed_at is not None
    numbers = sorted(r["number"] for r in bundle.results)
    assert numbers == sorted(lic.number for lic in licenses_held_by(person))
    assert len(numbers) == 2  # the licence of step 1 and the permit of step 2, listed together


def test_a_denied_child_cancels_what_waits_on_it_and_says_what_the_applicant_can_do(license_keys):
    setup = small_bundle()
    person = applicant()
    bundle, _created = _apply(setup, person)
    register = _child(bundle, setup.register)
    services.case_accept(case_id=register.pk, actor=setup.register.handler)
    services.case_forward(case_id=register.pk, actor=setup.register.handler)
    services.case_forward(case_id=register.pk, actor=setup.register.reviewer)
    services.case_deny(case_id=register.pk, actor=setup.register.approver, legal_reasons="经营场所不符合规划")
    bundle = BundleCase.objects.get(pk=bundle.pk)  # the denial itself moved the bundle on
    assert bundle.status == BundleStatus.PARTLY
    assert "开店登记" in bundle.outcome_note
    for desk in (setup.permit, setup.sign):
        child = _child(bundle, desk)
        assert (child.stage, child.outcome) == (Stage.CLOSED, Outcome.CANCELLED)
    again = aftercare.bundle_settle(bundle_id=bundle.pk)
    assert again.version == bundle.version  # nothing happens twice


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_children_finishing_at_the_same_moment_complete_the_parent_exactly_once(license_keys):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    setup = small_bundle()
    person = applicant()
    bundle, _created = _apply(setup, person)
    approve_through(_child(bundle, setup.register).pk, setup.register)
    finishing = []
    for desk in (setup.permit, setup.sign):
        child = _child(bundle, desk)
        services.case_accept(case_id=child.pk, actor=desk.handler)
        services.case_forward(case_id=child.pk, actor=desk.handler)
        services.case_forward(case_id=child.pk, actor=desk.reviewer)
        finishing.append((child.pk, desk.approver))

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(case_id: int, approver: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.case_approve(case_id=case_id, actor=approver)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=args) for args in finishing]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED and bundle.version == 1
    assert AuditEvent.objects.filter(action="bundle.completed", object_id=str(bundle.pk)).count() == 1
    completed = Message.objects.filter(recipient=person, topic=f"bundle:{bundle.number}", subject__contains="开店")
    assert completed.count() == 1
