"""告知承诺: approval on a signed commitment issues the result at once; a failed post-check revokes it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext

from tongban.cases import commitments, services
from tongban.cases.models import CaseCommitment, CaseMaterial, CommitmentBreach, Outcome, PostCheck, PostCheckStatus
from tongban.cases.tests.bundle_setup import (
    COMMITMENT,
    SHOP,
    applicant,
    approve_through,
    desk_with,
    small_bundle,
)
from tongban.cases.tests.factories import PDF, office
from tongban.common.models import AuditEvent
from tongban.common.public import DomainError, PermissionDenied
from tongban.licenses.public import License, LicenseStatus, licenses_held_by, verify_license
from tongban.workcalendar.public import add_working_days, current_calendar

pytestmark = pytest.mark.django_db


def test_approval_on_a_commitment_issues_at_once_and_a_failed_postcheck_revokes_it(license_keys):
    setup = small_bundle()
    desk, person = setup.permit, applicant()
    case = services.case_start(applicant=person, actor=person, item_code=desk.item_code)
    services.case_update_form(case_id=case.pk, actor=person, form_data={"name": "张记小吃", "address": "建设路1号",
                                                                        "area": 30})  # fmt: skip
    services.case_attach_material(case_id=case.pk, actor=person, position=1, source="upload", content=PDF)
    services.case_attach_material(case_id=case.pk, actor=person, position=2, source="upload", content=PDF)
    commitments.commitment_sign(case_id=case.pk, actor=person)
    assert case.materials.get(position=3).source == CaseMaterial.Source.COMMITMENT
    assert case.materials.get(position=3).trust_level == "D"
    case = services.case_submit(case_id=case.pk, actor=person, idempotency_key="c1")

    approved = approve_through(case.pk, desk)  # approved without the 管理制度 proof
    assert approved.outcome == Outcome.APPROVED
    (issued,) = licenses_held_by(person)
    assert issued.case_ref == approved.number and verify_license(issued.credential)["valid"] is True
    check = PostCheck.objects.get(case=approved)
    assert check.status == PostCheckStatus.SCHEDULED and check.department == desk.department
    expected = add_working_days(timezone.localdate(approved.closed_at), 5, current_calendar()).due  # item's 5 days
    assert check.due_on == expected and check.licenses == [issued.number]
    assert approved.events.get(action="approve").data["postcheck_due"] == str(expected)
    assert commitments.postcheck_queue(desk.handler) == [check]
    assert commitments.postcheck_queue(setup.sign.handler) == []  # another department's officers do not see it

    with pytest.raises(DomainError) as refused:
        commitments.postcheck_decide(postcheck_id=check.pk, actor=desk.handler, passed=False, findings=" ")
    assert refused.value.fields == {"findings": gettext("Required.")}
    with pytest.raises(PermissionDenied):
        commitments.postcheck_decide(postcheck_id=check.pk, actor=person, passed=False, findings="x")
    failed = commitments.postcheck_decide(
        postcheck_id=check.pk, actor=desk.handler, passed=False, findings="现场检查：未建立管理制度"
    )
    assert failed.status == PostCheckStatus.FAILED
    revoked = License.objects.get(pk=issued.pk)
    assert revoked.status == LicenseStatus.REVOKED
    verdict = verify_license(revoked.credential)
    assert verdict["valid"] is False and "revoked" in verdict["reasons"]
    breach = CommitmentBreach.objects.get(applicant=person)
    assert breach.licenses_revoked == [issued.number] and breach.commitment_text == COMMITMENT
    assert AuditEvent.objects.filter(action="case.postcheck_failed", object_id=str(approved.pk)).exists()
    assert AuditEvent.objects.filter(action="case.commitment_signed", object_id=str(approved.pk)).exists()

    # Staff handling the applicant's next case, in another department, see the false commitment.
    other = office()
    later = services.case_start(applicant=person, actor=person, item_code=other.item_code)
    _case, record = commitments.commitment_record_for_case(other.handler, later.pk)
    assert [b.pk for b in record] == [breach.pk]
    assert commitments.commitment_record(applicant_id=person.pk) == [breach]


def test_a_passed_postcheck_closes_it_and_the_default_days_come_from_the_setting(license_keys):
    desk = desk_with("承诺事项", [("身份证", ""), ("管理制度", "commitment")], SHOP, commitment_text=COMMITMENT)
    person = applicant()
    case = services.case_start(applicant=person, actor=person, item_code=desk.item_code)
    services.case_update_form(case_id=case.pk, actor=person, form_data={"name": "张记", "address": "建设路1号"})
    services.case_attach_material(case_id=case.pk, actor=person, position=1, source="upload", content=PDF)
    commitments.commitment_sign(case_id=case.pk, actor=person)
    case = services.case_submit(case_id=case.pk, actor=person, idempotency_key="c2")
    with override_settings(CASE_POSTCHECK_DAYS=3):
        approved = approve_through(case.pk, desk)
    check = PostCheck.objects.get(case=approved)
    assert check.due_on == add_working_days(timezone.localdate(approved.closed_at), 3, current_calendar()).due
    passed = commitments.postcheck_decide(postcheck_id=check.pk, actor=desk.approver, passed=True, findings="")
    assert passed.status == PostCheckStatus.PASSED and not CommitmentBreach.objects.exists()
    with pytest.raises(DomainError):
        commitments.postcheck_decide(postcheck_id=check.pk, actor=desk.approver, passed=False, findings="again")


def test_an_item_without_commitment_text_cannot_be_signed_and_no_postcheck_without_a_signature(license_keys):
    desk = office()
    person = applicant()
    case = services.case_start(applicant=person, actor=person, item_code=desk.item_code)
    with pytest.raises(DomainError) as refused:
        commitments.commitment_sign(case_id=case.pk, actor=person)
    assert refused.value.code == "no_commitment"
    assert not CaseCommitment.objects.exists()


def test_a_commitment_chosen_on_the_draft_page_also_gets_its_postcheck(license_keys):
    desk = desk_with("承诺事项", [("身份证", ""), ("管理制度", "commitment")], SHOP, commitment_text=COMMITMENT)
    person = applicant()
    case = services.case_start(applicant=person, actor=person, item_code=desk.item_code)
    services.case_update_form(case_id=case.pk, actor=person, form_data={"name": "张记", "address": "建设路1号"})
    services.case_attach_material(case_id=case.pk, actor=person, position=1, source="upload", content=PDF)
    services.case_attach_material(case_id=case.pk, actor=person, position=2, source="commitment")
    case = services.case_submit(case_id=case.pk, actor=person, idempotency_key="c3")
    approved = approve_through(case.pk, desk)
    assert PostCheck.objects.get(case=approved).status == PostCheckStatus.SCHEDULED
