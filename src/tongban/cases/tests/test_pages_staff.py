"""Staff pages: the queue, the case page and each action with its expected version, window intake — and who
gets a 404."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tongban.cases import services
from tongban.cases.models import Case, CaseEvent, CaseMaterial, Outcome, Stage
from tongban.cases.tests.factories import PDF, citizen, office
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return office()


def _submitted(desk, applicant=None):
    applicant = applicant or citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        services.case_attach_material(case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF)
    return services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k")


def _act(client, case, action, **data):
    case.refresh_from_db()
    fields = {"expected_version": case.version, **data}
    payload = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("workbench:case", args=[case.pk]), payload)


def test_queue_lists_open_cases_with_light_days_and_filters(client, desk):
    first, second, waiting = _submitted(desk), _submitted(desk), _submitted(desk)
    for case in (first, second):
        services.case_accept(case_id=case.pk, actor=desk.handler)
    # Set-up only: give the second case the earlier due date and a red light.
    Case.objects.filter(pk=second.pk).update(due=date(2026, 1, 5), warning="red")
    client.force_login(desk.handler)
    body = client.get(reverse("workbench:home")).content.decode()
    assert first.number in body and second.number in body and waiting.number in body
    assert body.index(second.number) < body.index(first.number)  # fewest working days left first
    assert ('class="light light--red"' in body and "超期" in body) or "overdue" in body
    handling = client.get(reverse("workbench:home"), {"stage": "handling"}).content.decode()
    assert first.number in handling and waiting.number not in handling
    red = client.get(reverse("workbench:home"), {"warning": "red"}).content.decode()
    assert second.number in red and first.number not in red
    found = client.get(reverse("workbench:home"), {"q": second.number}).content.decode()
    assert second.number in found and first.number not in found
    assert "<table" in body and 'scope="col"' in body


def test_queue_of_another_department_is_empty(client, desk):
    case = _submitted(desk)
    client.force_login(office().handler)
    assert case.number not in client.get(reverse("workbench:home")).content.decode()


def test_staff_of_another_department_gets_404(client, desk):
    case = _submitted(desk)
    client.force_login(office().handler)
    assert client.get(reverse("workbench:case", args=[case.pk])).status_code == 404
    assert _act(client, case, "accept").status_code == 404
    assert client.get(reverse("workbench:case_material_file", args=[case.pk, 1])).status_code == 404
    case.refresh_from_db()
    assert case.stage == Stage.SUBMITTED


def test_a_citizen_cannot_open_the_workbench_case_page(client, desk):
    applicant = citizen()
    case = _submitted(desk, applicant)
    client.force_login(applicant)
    response = client.get(reverse("workbench:case", args=[case.pk]))
    assert response.status_code == 302 and "/workbench/login/" in response["Location"]


def test_a_stale_version_shows_a_conflict_and_changes_nothing(client, desk):
    case = _submitted(desk)
    client.force_login(desk.handler)
    stale = case.version
    services.case_accept(case_id=case.pk, actor=desk.clerk)  # a colleague was faster
    response = client.post(
        reverse("workbench:case", args=[case.pk]),
        {
            "action": "request_supplement",
            "request_supplement-expected_version": stale,
            "request_supplement-reason": "缺材料",
            "request_supplement-checklist": [1],
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="conflict"' in body and "缺材料" in body  # what the officer typed is kept
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING
    assert not CaseEvent.objects.filter(case=case, action="request_supplement").exists()


def test_field_errors_from_the_service_sit_next_to_the_field(client, desk):
    case = _submitted(desk)
    client.force_login(desk.handler)
    response = _act(client, case, "request_supplement", reason="缺材料")  # no material picked
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_request_supplement-checklist-error"' in body
    assert "field__error" in body and "open" in body
    case.refresh_from_db()
    assert case.stage == Stage.SUBMITTED


def test_an_officer_holding_every_role_moves_a_case_through_every_stage(client, desk):
    applicant = citizen()
    case = _submitted(desk, applicant)
    officer = desk.handler
    for role in ("reviewer", "approver"):
        StaffAssignmentFactory(user=officer, department=desk.department, role=role)
    client.force_login(officer)
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert 'value="accept"' in page and 'value="refuse_acceptance"' in page and 'value="approve"' not in page
    assert _act(client, case, "accept").status_code == 302
    assert _act(client, case, "request_supplement", reason="盖章", checklist=[2], note="加盖公章").status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.SUPPLEMENT
    services.case_attach_material(case_id=case.pk, actor=applicant, position=2, source="upload", content=PDF)
    services.case_supply(case_id=case.pk, actor=applicant)
    assert _act(client, case, "forward", comment="材料齐全").status_code == 302
    assert _act(client, case, "return", comment="请补充意见").status_code == 302
    assert _act(client, case, "forward").status_code == 302
    assert _act(client, case, "forward").status_code == 302
    assert _act(client, case, "extend", days=3, reason="需要现场核查").status_code == 302
    assert _act(client, case, "approve").status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.extended_days) == (Stage.CLOSED, Outcome.APPROVED, 3)
    body = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert "请补充意见" in body and "盖章" in body  # the return and 补正 comments are in the history
    assert 'name="action"' not in body  # nothing left to do on a concluded case


def test_refuse_acceptance_and_deny_need_their_reasons(client, desk):
    case = _submitted(desk)
    client.force_login(desk.handler)
    assert _act(client, case, "refuse_acceptance", reasons="", checklist="").status_code == 400
    assert (
        _act(client, case, "refuse_acceptance", reasons="不属于本部门", checklist="向区民政局申请").status_code == 302
    )
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.NOT_ACCEPTED)


def test_suspend_and_resume(client, desk):
    case = _submitted(desk)
    services.case_accept(case_id=case.pk, actor=desk.handler)
    client.force_login(desk.handler)
    assert _act(client, case, "suspend", kind="expert_review", reason="专家评审").status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.SUSPENDED
    assert _act(client, case, "resume").status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING


def test_window_intake_finds_the_person_and_accepts_on_the_spot(client, desk):
    person = PersonFactory(phone="13911112222", name="王来访")
    client.force_login(desk.clerk)
    found = client.post(reverse("workbench:intake"), {"action": "find", "find-phone_or_id": "13911112222"})
    assert "王来访" in found.content.decode() and "139****2222" in found.content.decode()
    missing = client.post(reverse("workbench:intake"), {"action": "find", "find-phone_or_id": "13900000000"})
    assert missing.status_code == 400 and "field__error" in missing.content.decode()
    refused = client.post(
        reverse("workbench:intake"),
        {"action": "start", "start-phone_or_id": "13911112222", "start-item_code": desk.item_code},
    )
    assert refused.status_code == 400 and not Case.objects.filter(applicant=person.user).exists()
    started = client.post(
        reverse("workbench:intake"),
        {
            "action": "start",
            "start-phone_or_id": "13911112222",
            "start-item_code": desk.item_code,
            "start-identity_checked": "on",
        },
    )
    case = Case.objects.get(applicant=person.user)
    assert started["Location"] == reverse("workbench:intake_case", args=[case.pk])
    assert (case.channel, case.submitted_by) == ("window", desk.clerk)
    for position in (1, 2):
        client.post(reverse("workbench:intake_material", args=[case.pk, position]), {"source": "clerk_verified"})
    assert set(CaseMaterial.objects.filter(case=case).values_list("trust_level", flat=True)) == {"B"}
    page = client.get(reverse("workbench:intake_case", args=[case.pk]))
    key = re.findall(r'name="idempotency_key" value="([0-9a-f]{32})"', page.content.decode())[0]
    done = client.post(
        reverse("workbench:intake_case", args=[case.pk]),
        {"applicant_name": "", "statement": "窗口", "idempotency_key": key},
    )
    assert done["Location"] == reverse("workbench:case", args=[case.pk])
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING and case.number and case.accepted_on


def test_intake_is_for_window_clerks_only(client, desk):
    client.force_login(desk.handler)
    assert client.get(reverse("workbench:intake")).status_code == 404


def test_an_applicant_cannot_mark_a_copy_clerk_verified(client, desk):
    applicant = citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    client.force_login(applicant)
    client.post(reverse("cases:material", args=[case.pk, 1]), {"source": "clerk_verified"})
    assert not CaseMaterial.objects.filter(case=case).exists()
