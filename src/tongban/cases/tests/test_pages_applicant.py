"""Applicant pages: apply, draft with the live pre-check, idempotent submission, receipt, my cases, the case
page with 补正 and withdraw, the signed status link — and who gets a 404."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from tongban.cases import links, services
from tongban.cases.models import Case, CaseMaterial, Outcome, Stage
from tongban.cases.tests.factories import PDF, citizen, office

pytestmark = pytest.mark.django_db


def _pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def desk():
    return office()


@pytest.fixture
def applicant(client):
    user = citizen(first_name="张三", last_name="")
    client.force_login(user)
    return user


def _draft(client, desk):
    response = client.post(reverse("cases:apply", args=[desk.item_code]))
    assert response.status_code == 302
    return Case.objects.get(pk=int(re.findall(r"/cases/(\d+)/draft/", response["Location"])[0]))


def _upload(client, case, position, **extra):
    url = reverse("cases:material", args=[case.pk, position])
    return client.post(url, {"source": "upload", "file": _pdf()}, **extra)


def _key(page):
    return re.findall(r'name="idempotency_key" value="([0-9a-f]{32})"', page.content.decode())[0]


def test_apply_page_offers_to_start_and_post_opens_a_draft(client, desk, applicant):
    page = client.get(reverse("cases:apply", args=[desk.item_code]))
    assert page.status_code == 200 and "申请材料1" not in page.content.decode()
    case = _draft(client, desk)
    assert (case.stage, case.applicant, case.channel) == (Stage.DRAFT, applicant, "online")
    again = client.get(reverse("cases:apply", args=[desk.item_code])).content.decode()
    assert reverse("cases:draft", args=[case.pk]) in again  # resume, not a second draft by accident


def test_apply_for_an_unknown_item_is_404(client, applicant):
    assert client.get(reverse("cases:apply", args=["NO-SUCH-ITEM"])).status_code == 404


def test_apply_needs_a_login(client, desk):
    response = client.get(reverse("cases:apply", args=[desk.item_code]))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_draft_shows_prefilled_name_materials_and_the_precheck(client, desk, applicant):
    case = _draft(client, desk)
    body = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert 'value="张三"' in body and "readonly" in body
    assert body.index("1. 申请材料1") < body.index("2. 申请材料2")
    precheck = body[body.index('id="precheck-title"') : body.index('id="materials-title"')]
    assert "申请材料1" in precheck and "申请材料2" in precheck


def test_an_htmx_upload_refreshes_the_precheck(client, desk, applicant):
    case = _draft(client, desk)
    partial = _upload(client, case, 1, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body
    precheck = body[body.index('id="precheck-title"') : body.index('id="materials-title"')]
    assert "申请材料1" not in precheck and "申请材料2" in precheck
    assert CaseMaterial.objects.get(case=case, position=1).source == "upload"


def test_a_refused_upload_says_why_next_to_the_material(client, desk, applicant):
    case = _draft(client, desk)
    url = reverse("cases:material", args=[case.pk, 1])
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    body = client.post(url, {"source": "upload", "file": bad}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="material-1-error"' in body and "PDF" in body
    assert not CaseMaterial.objects.filter(case=case).exists()


def test_commitment_is_offered_only_where_the_guide_allows_it(client, applicant):
    desk = office()
    from tongban.catalog.models import Material

    Material.objects.filter(version__item__code=desk.item_code, position=2).update(substitute="commitment")
    case = _draft(client, desk)
    body = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert 'id="source-2-commitment"' in body and 'id="source-1-commitment"' not in body
    client.post(reverse("cases:material", args=[case.pk, 2]), {"source": "commitment"})
    assert CaseMaterial.objects.get(case=case, position=2).trust_level == "D"


def test_submitting_with_a_missing_material_shows_the_summary_and_changes_nothing(client, desk, applicant):
    case = _draft(client, desk)
    _upload(client, case, 1)
    page = client.get(reverse("cases:draft", args=[case.pk]))
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"applicant_name": "x", "statement": "说明", "idempotency_key": _key(page), "action": "submit"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body and 'href="#material-2"' in body
    assert 'id="material-2-error"' in body
    case.refresh_from_db()
    assert case.stage == Stage.DRAFT and case.number is None


def test_submit_twice_with_the_same_key_makes_one_case_and_the_receipt(client, desk, applicant):
    case = _draft(client, desk)
    _upload(client, case, 1)
    _upload(client, case, 2)
    page = client.get(reverse("cases:draft", args=[case.pk]))
    data = {"applicant_name": "伪造", "statement": "请办理", "idempotency_key": _key(page), "action": "submit"}
    first = client.post(reverse("cases:draft", args=[case.pk]), data)
    second = client.post(reverse("cases:draft", args=[case.pk]), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("cases:receipt", args=[case.pk])
    assert Case.objects.filter(applicant=applicant).exclude(number=None).count() == 1
    case.refresh_from_db()
    assert case.form_data == {"applicant_name": "张三", "statement": "请办理"}  # the name is the account's
    receipt = client.get(first["Location"]).content.decode()
    assert case.number in receipt and reverse("cases:detail", args=[case.pk]) in receipt
    assert "/cases/status/" in receipt
    mine = client.get(reverse("cases:mine")).content.decode()
    assert case.number in mine


def _submitted(desk, applicant):
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        services.case_attach_material(case_id=case.pk, actor=applicant, position=position, source="upload", content=PDF)
    return services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k")


def test_case_page_shows_the_supplement_checklist_and_supply_resumes(client, desk, applicant):
    case = _submitted(desk, applicant)
    case = services.case_accept(case_id=case.pk, actor=desk.handler)
    checklist = [{"position": 2, "name": "申请材料2", "note": "需要盖章"}]
    case = services.case_request_supplement(case_id=case.pk, actor=desk.handler, reason="缺章", checklist=checklist)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "需要盖章" in body and "缺章" in body and 'id="file-2"' in body and 'id="file-1"' not in body
    assert gettext("still needed") in body
    _upload(client, case, 2)
    case.refresh_from_db()
    response = client.post(
        reverse("cases:detail", args=[case.pk]), {"action": "supply", "supply-expected_version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING


def test_withdraw_from_the_case_page(client, desk, applicant):
    case = _submitted(desk, applicant)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'value="withdraw"' in body
    client.post(
        reverse("cases:detail", args=[case.pk]), {"action": "withdraw", "withdraw-expected_version": case.version}
    )
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.WITHDRAWN)


def test_the_decision_and_reasons_are_shown(client, desk, applicant):
    case = _submitted(desk, applicant)
    services.case_accept(case_id=case.pk, actor=desk.handler)
    services.case_forward(case_id=case.pk, actor=desk.handler)
    services.case_forward(case_id=case.pk, actor=desk.reviewer)
    services.case_deny(case_id=case.pk, actor=desk.approver, legal_reasons="依据《条例》第十条")
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "依据《条例》第十条" in body and 'value="withdraw"' not in body


@pytest.mark.parametrize("name", ["detail", "draft", "receipt", "material_file"])
def test_another_citizen_gets_404(client, desk, name):
    owner = citizen()
    case = _submitted(desk, owner)
    client.force_login(citizen())
    args = [case.pk, 1] if name == "material_file" else [case.pk]
    assert client.get(reverse(f"cases:{name}", args=args)).status_code == 404
    upload = client.post(reverse("cases:material", args=[case.pk, 1]), {"source": "upload", "file": _pdf()})
    assert upload.status_code == 404


def test_staff_of_the_department_do_not_use_the_applicant_pages(client, desk):
    case = _submitted(desk, citizen())
    client.force_login(desk.handler)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_applicant_downloads_their_file(client, desk, applicant):
    case = _submitted(desk, applicant)
    response = client.get(reverse("cases:material_file", args=[case.pk, 1]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_the_status_link_shows_the_timeline_without_personal_data(client, desk):
    owner = citizen(first_name="李秘密")
    case = _submitted(desk, owner)
    services.case_accept(case_id=case.pk, actor=desk.handler, comment="内部意见XYZ")
    token = links.status_token(case)
    response = client.get(reverse("cases:status", args=[token]))  # anonymous
    body = response.content.decode()
    assert response.status_code == 200 and case.number in body
    assert "李秘密" not in body and "内部意见XYZ" not in body
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.get(reverse("cases:status", args=[token[:-2] + "xx"])).status_code == 404
    from django.core import signing

    foreign = signing.dumps({"case": case.pk}, salt="another-purpose")
    assert client.get(reverse("cases:status", args=[foreign])).status_code == 404
