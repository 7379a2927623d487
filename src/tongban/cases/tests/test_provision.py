"""Asking once: held e-licenses and shared data satisfy materials by themselves, the form is prefilled with its
sources and checked against the item's JSON Schema, and an approved case issues its e-license."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils.translation import gettext

from tongban.cases import provision, services
from tongban.cases.models import Case, CaseMaterial, Outcome, Stage
from tongban.cases.selectors import held_material_rows, timeline
from tongban.cases.tests.factories import PDF, office
from tongban.catalog.tests.factories import MaterialFactory
from tongban.common.models import AuditEvent
from tongban.common.public import DomainError
from tongban.exchange.demo import install_demo_catalog
from tongban.exchange.public import usage_for_person
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory, UserFactory
from tongban.licenses.public import (
    License,
    LicenseType,
    LicenseUse,
    license_revoke,
    licenses_held_by,
    verify_license,
)
from tongban.licenses.tests.isolation import BUSINESS_LICENSE_FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("license_keys")]

SHOP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "address", "phone"],
    "properties": {
        "name": {"type": "string", "title": "经营者名称", "maxLength": 20},
        "operator": {"type": "string", "title": "经营者姓名", "x-prefill": "identity.name"},
        "address": {"type": "string", "title": "经营场所", "x-prefill": "population.household.address"},
        "phone": {"type": "string", "title": "联系电话", "format": "phone"},
        "area": {"type": "number", "title": "面积", "minimum": 1},
    },
}


@pytest.fixture
def exchange() -> None:
    """The demo department systems, answered in process, and the platform's approved prefill subscriptions."""
    install_demo_catalog(connector="inprocess")


def _item(desk: Any) -> Any:
    from tongban.catalog.models import ItemVersion

    return ItemVersion.objects.get(item__code=desk.item_code)


def _with_materials(desk: Any) -> Any:
    version = _item(desk)
    MaterialFactory(version=version, position=1, name="营业执照", substitute="e_license", substitute_ref="T-YYZZ")
    MaterialFactory(
        version=version, position=2, name="居民户口簿", substitute="shared_data", substitute_ref="population.household"
    )
    MaterialFactory(version=version, position=3, name="平面布局图")
    return desk


def _license_type(desk: Any, *, issued_for: list[str] | None = None, code: str = "T-YYZZ") -> LicenseType:
    return LicenseType.objects.create(
        code=code,
        name="营业执照（测试）",
        issuing_department=desk.department,
        holder_kind="person",
        field_schema=BUSINESS_LICENSE_FIELDS,
        replaces_materials=["营业执照"],
        issued_for_items=issued_for or [],
    )


def _citizen() -> Any:
    return UserFactory(username="citizen", first_name="三", last_name="张")  # the demo systems know "citizen"


def _answers(case_id: int, applicant: Any) -> None:
    services.case_update_form(
        case_id=case_id,
        actor=applicant,
        form_data={"name": "张记小吃", "address": "广安区示例路1号", "phone": "13800138000"},
    )


def _approve(case_id: int, desk: Any) -> Any:
    case = services.case_accept(case_id=case_id, actor=desk.clerk)
    case = services.case_forward(case_id=case.pk, actor=desk.handler)
    case = services.case_forward(case_id=case.pk, actor=desk.reviewer)
    return services.case_approve(case_id=case.pk, actor=desk.approver)


# --- e-licenses -------------------------------------------------------------------------------------------------
def test_an_approved_case_issues_its_license_which_a_second_application_attaches_by_itself(exchange):
    first_desk = office(materials=0, form_schema=SHOP_SCHEMA)
    second_desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    _license_type(first_desk, issued_for=[first_desk.item_code])
    applicant = _citizen()

    first = services.case_start(applicant=applicant, actor=applicant, item_code=first_desk.item_code)
    _answers(first.pk, applicant)
    first = services.case_submit(case_id=first.pk, actor=applicant, idempotency_key="first")
    approved = _approve(first.pk, first_desk)
    assert approved.outcome == Outcome.APPROVED and approved.stage == Stage.CLOSED
    (issued,) = licenses_held_by(applicant)
    assert issued.case_ref == approved.number
    assert issued.credential["credentialSubject"]["fields"]["name"] == "张记小吃"
    assert verify_license(issued.credential)["valid"] is True
    assert approved.events.get(action="approve").data["licenses"] == [issued.number]

    second = services.case_start(applicant=applicant, actor=applicant, item_code=second_desk.item_code)
    services.case_provide_automatically(case_id=second.pk, actor=applicant)
    attached = second.materials.get(position=1)
    assert (attached.source, attached.trust_level, attached.reference) == ("e_license", "A", issued.number)
    assert [m.label for m in services.case_precheck(second) if m.field.startswith("material")] == ["平面布局图"]

    services.case_attach_material(case_id=second.pk, actor=applicant, position=3, source="upload", content=PDF)
    _answers(second.pk, applicant)
    second = services.case_submit(case_id=second.pk, actor=applicant, idempotency_key="second")
    use = LicenseUse.objects.get(license=issued, kind=LicenseUse.Kind.ATTACHED)
    assert use.case_ref == second.number  # the holder sees which case used it


def test_a_license_revoked_before_submission_is_taken_off_and_the_precheck_asks_for_it(exchange):
    desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    kind = _license_type(desk)
    applicant = _citizen()
    from tongban.licenses.public import license_issue

    held = license_issue(
        license_type=kind, holder=applicant, fields={"name": "张记", "address": "示例路"}, case_ref="X-1", actor=None
    )
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    services.case_provide_automatically(case_id=case.pk, actor=applicant)
    assert case.materials.filter(source="e_license").exists()

    license_revoke(license=held, actor=None, reason="事后核查不通过")
    assert "revoked" in verify_license(License.objects.get(pk=held.pk).credential)["reasons"]
    services.case_attach_material(case_id=case.pk, actor=applicant, position=3, source="upload", content=PDF)
    _answers(case.pk, applicant)
    with pytest.raises(DomainError) as refusal:
        services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k")
    assert "material_1" in refusal.value.fields
    assert not case.materials.filter(source="e_license").exists()


def test_an_e_license_or_shared_data_is_never_taken_on_the_callers_word():
    desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    _license_type(desk)
    applicant = _citizen()  # holds no license; no exchange subscriptions exist
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position, source in ((1, "e_license"), (2, "shared_data")):
        with pytest.raises(DomainError) as refusal:
            services.case_attach_material(
                case_id=case.pk, actor=applicant, position=position, source=source, reference="FAKE-123"
            )
        assert refusal.value.code == "not_provided_by_source"
    assert not case.materials.exists()


def test_approval_refuses_when_the_license_cannot_be_filled_and_nothing_half_happens(exchange):
    desk = office(materials=0)  # no form schema: nothing to fill the license with
    _license_type(desk, issued_for=[desk.item_code])
    applicant = _citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    case = services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k")
    with pytest.raises(DomainError) as refusal:
        _approve(case.pk, desk)
    assert refusal.value.code == "license_fields_missing"
    assert set(refusal.value.fields) == {"license_name", "license_address"}
    case.refresh_from_db()
    assert case.stage == Stage.APPROVAL and case.outcome == ""
    assert not License.objects.exists()


# --- shared data (免提交) -------------------------------------------------------------------------------------
def test_a_material_proven_by_shared_data_needs_no_upload_and_the_holder_sees_the_use(exchange):
    desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    applicant = _citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    added = services.case_provide_automatically(case_id=case.pk, actor=applicant)
    assert [(m.position, m.source) for m in added] == [(2, "shared_data")]
    proof = json.loads(case.materials.get(position=2).file.read().decode())
    assert proof["resource"] == "population.household" and proof["data"]["address"]
    shown = provision.proof_of(case.materials.get(position=2))
    assert shown["kind"] == "shared_data" and ("户籍地址", proof["data"]["address"]) in shown["rows"]

    services.case_attach_material(case_id=case.pk, actor=applicant, position=1, source="upload", content=PDF)
    services.case_attach_material(case_id=case.pk, actor=applicant, position=3, source="upload", content=PDF)
    _answers(case.pk, applicant)
    submitted = services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k")
    assert submitted.stage == Stage.SUBMITTED
    assert submitted.materials.get(position=2).source == CaseMaterial.Source.SHARED_DATA
    uses = usage_for_person(applicant)
    assert any(row.resource_code == "population.household" and "居民户口簿" in row.purpose for row in uses)


def test_without_a_subscription_the_material_waits_for_an_upload():
    desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    applicant = _citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    assert services.case_provide_automatically(case_id=case.pk, actor=applicant) == []
    hints = {m.field: m.hint for m in services.case_precheck(case)}
    assert hints["material_2"] == gettext(
        "Shared government data could not prove it just now: upload it, or try again later."
    )


def test_someone_else_cannot_make_the_platform_fetch_an_applicants_data(exchange):
    desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    applicant, stranger = _citizen(), UserFactory()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    from tongban.common.public import NotFound

    with pytest.raises(NotFound):
        services.case_provide_automatically(case_id=case.pk, actor=stranger)
    with pytest.raises(NotFound):
        services.case_prefill(case_id=case.pk, actor=stranger)
    assert usage_for_person(applicant) == []


# --- the form ------------------------------------------------------------------------------------------------
def test_prefill_takes_the_name_from_the_account_and_the_address_from_shared_data_with_sources(exchange):
    desk = office(materials=0, form_schema=SHOP_SCHEMA)
    applicant = _citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    case = services.case_prefill(case_id=case.pk, actor=applicant)
    assert case.form_data["operator"] == applicant.get_full_name()
    assert case.form_sources["operator"]["source"] == "identity"
    assert case.form_data["address"] and case.form_sources["address"]["source"] == "population.household"
    assert case.form_sources["address"]["provider"] and case.form_sources["address"]["at"]
    # what the applicant changed is never overwritten by a later prefill
    services.case_update_form(case_id=case.pk, actor=applicant, form_data={"address": "我自己填的地址"})
    case = services.case_prefill(case_id=case.pk, actor=applicant)
    assert case.form_data["address"] == "我自己填的地址"


def test_the_precheck_names_each_form_answer_that_is_missing_or_wrong(exchange):
    desk = office(materials=0, form_schema=SHOP_SCHEMA)
    applicant = _citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    services.case_update_form(
        case_id=case.pk, actor=applicant, form_data={"name": "太长" * 11, "phone": "12345", "area": 0}
    )
    case.refresh_from_db()
    problems = {m.field: m.hint for m in services.case_precheck(case)}
    assert problems == {
        "form_address": gettext("This field is required."),
        "form_name": gettext("Enter at most %(count)d characters.") % {"count": 20},
        "form_phone": gettext("Enter an 11-digit mobile number."),
        "form_area": gettext("Enter at least %(minimum)s.") % {"minimum": 1},
    }
    assert list(problems) == ["form_name", "form_address", "form_phone", "form_area"]  # in the form's order
    with pytest.raises(DomainError) as refusal:
        services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k")
    assert set(refusal.value.fields) == set(problems)


def test_the_api_path_applies_the_same_form_rules(exchange):
    desk = office(materials=0, form_schema=SHOP_SCHEMA)
    applicant = _citizen()
    with pytest.raises(DomainError) as refusal:
        services.case_apply(
            applicant=applicant,
            actor=applicant,
            item_code=desk.item_code,
            form_data={"name": "张记"},
            materials=[],
            idempotency_key="api-1",
        )
    assert {"form_address", "form_phone"} <= set(refusal.value.fields)
    from tongban.cases.models import Case

    assert not Case.objects.filter(idempotency_key="api-1").exists()
    case, created = services.case_apply(
        applicant=applicant,
        actor=applicant,
        item_code=desk.item_code,
        form_data={"name": "张记", "address": "示例路1号", "phone": "13800138000", "area": 12.5},
        materials=[],
        idempotency_key="api-2",
    )
    assert created and case.stage == Stage.SUBMITTED


def test_a_window_clerk_may_prefill_for_a_walk_in_applicant(exchange):
    desk = office(materials=0, form_schema=SHOP_SCHEMA)
    applicant = _citizen()
    clerk = StaffAssignmentFactory(department=desk.department, role=StaffRole.WINDOW_CLERK).user
    case = services.case_start(applicant=applicant, actor=clerk, item_code=desk.item_code, channel="window")
    case = services.case_prefill(case_id=case.pk, actor=clerk)
    assert case.form_data["operator"] == applicant.get_full_name()


# --- the same over the API ------------------------------------------------------------------------------------
def test_an_api_draft_comes_prefilled_with_proofs_attached_and_its_form_can_be_saved(client, exchange):
    desk = _with_materials(office(materials=0, form_schema=SHOP_SCHEMA))
    applicant = _citizen()
    client.force_login(applicant)
    started = client.post("/api/v1/cases/drafts", {"item_code": desk.item_code}, content_type="application/json")
    assert started.status_code == 201, started.content
    draft = started.json()
    assert draft["form_data"]["operator"] == applicant.get_full_name()
    assert draft["form_sources"]["address"]["source"] == "population.household"
    assert [(m["position"], m["source"], m["reference"]) for m in draft["materials"]] == [
        (2, "shared_data", "population.household")
    ]
    assert [m["field"] for m in draft["missing"]] == ["form_name", "form_phone", "material_1", "material_3"]

    saved = client.patch(
        f"/api/v1/cases/{draft['id']}/form",
        {"form_data": {"name": "张记", "phone": "110"}},
        content_type="application/json",
    )
    assert saved.status_code == 200
    missing = {m["field"]: m["hint"] for m in saved.json()["missing"]}
    assert missing["form_phone"] == gettext("Enter an 11-digit mobile number.") and "form_name" not in missing
    stranger = UserFactory()
    client.force_login(stranger)
    refused = client.patch(
        f"/api/v1/cases/{draft['id']}/form", {"form_data": {"name": "x"}}, content_type="application/json"
    )
    assert refused.status_code == 404 and set(refused.json()) == {"code", "message", "fields"}


# --- 告知承诺 on the single-item draft page -----------------------------------------------------------------------
def test_choosing_the_commitment_on_the_draft_page_signs_the_items_commitment(client):
    desk = office(materials=0, commitment_text="本人承诺所填信息真实。")
    MaterialFactory(version=_item(desk), position=1, name="消防安全制度", substitute="commitment")
    applicant = _citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    client.force_login(applicant)
    page = client.get(f"/cases/{case.pk}/draft/")
    assert "本人承诺所填信息真实。" in page.content.decode()  # the text is shown before signing
    answer = client.post(f"/cases/{case.pk}/materials/1/", {"source": "commitment"})
    assert answer.status_code == 302
    signed = case.commitment
    assert (signed.signed_by, signed.text, signed.materials) == (
        applicant,
        "本人承诺所填信息真实。",
        [{"position": 1, "name": "消防安全制度"}],
    )
    assert case.materials.get(position=1).source == "commitment"


def test_applying_at_once_attaches_held_proofs_and_stores_the_case_whole(exchange):
    """The API's one-call application (no uploads): found license and shared data are attached, the holder's
    usage log names the case, and the history, audit event and message are written with it."""
    first_desk = office(materials=0, form_schema=SHOP_SCHEMA)
    desk = office(materials=0, form_schema=SHOP_SCHEMA)
    version = _item(desk)
    MaterialFactory(version=version, position=1, name="营业执照", substitute="e_license", substitute_ref="T-YYZZ")
    MaterialFactory(
        version=version, position=2, name="居民户口簿", substitute="shared_data", substitute_ref="population.household"
    )
    _license_type(first_desk, issued_for=[first_desk.item_code])
    applicant = _citizen()
    first = services.case_start(applicant=applicant, actor=applicant, item_code=first_desk.item_code)
    _answers(first.pk, applicant)
    _approve(services.case_submit(case_id=first.pk, actor=applicant, idempotency_key="first").pk, first_desk)
    (issued,) = licenses_held_by(applicant)

    answers = {"name": "张记小吃", "address": "广安区示例路1号", "phone": "13800138000"}
    case, created = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data=answers, materials=[],
        idempotency_key="at-once",
    )  # fmt: skip
    assert created and case.stage == Stage.SUBMITTED and case.version == 2
    sources = dict(case.materials.values_list("position", "source"))
    assert sources == {1: "e_license", 2: "shared_data"}
    assert LicenseUse.objects.get(license=issued, kind=LicenseUse.Kind.ATTACHED).case_ref == case.number
    assert list(case.events.order_by("id").values_list("action", flat=True)) == ["start", "submit"]
    assert AuditEvent.objects.filter(object_type="case", object_id=str(case.pk), action="case.submitted").count() == 1
    # The answer shows the rows just written without reading them back: the same as a fresh read.
    stored = Case.objects.get(pk=case.pk)
    assert timeline(case) == timeline(stored) and [e.action for e in timeline(case)] == ["submit"]
    assert held_material_rows(case) == held_material_rows(stored) and len(held_material_rows(case)) == 2
    again, created_again = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data=answers, materials=[],
        idempotency_key="at-once",
    )  # fmt: skip
    assert (again.pk, created_again) == (case.pk, False)
