"""The receipt PDF (申请回执/受理回执): case number, item, masked applicant, materials and how each was provided,
due dates once accepted, the status-link QR code; only for the applicant; nothing fetched while rendering."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tongban.cases import dates, links, services
from tongban.cases.access import status_link
from tongban.cases.models import Case
from tongban.cases.receipt_pdf import mask_name, receipt_html, receipt_pdf_bytes
from tongban.cases.tests.factories import PDF, citizen, office
from tongban.common.public import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: date(2026, 2, 12))
    desk = office()
    applicant = citizen(first_name="张三", last_name="")
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    services.case_attach_material(
        case_id=case.pk, actor=applicant, position=1, source="upload", content=PDF, filename="1.pdf"
    )
    services.case_attach_material(
        case_id=case.pk, actor=applicant, position=2, source="upload", content=PDF, filename="2.pdf"
    )
    case = services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="receipt-1")
    return desk, applicant, case


def _download(client: Client, user, case: Case) -> bytes:
    client.force_login(user)
    response = client.get(reverse("cases:receipt_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="receipt-{case.number}.pdf"' in response["Content-Disposition"]
    return response.content


def _text(document: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_the_applicant_downloads_the_receipt_in_chinese(client, submitted) -> None:
    desk, applicant, case = submitted
    text = _text(_download(client, applicant, case))
    assert case.number in text
    assert case.item_name in text
    assert str(desk.department.name) in text
    assert "张*" in text and "张三" not in text  # the name masked
    assert timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M") in text
    assert "申请材料1" in text and "申请材料2" in text
    assert "upload (C)" in text or "上传" in text  # how each material was provided
    assert "Statutory due date" not in text  # not accepted yet


def test_once_accepted_the_receipt_shows_the_due_dates(client, submitted, monkeypatch) -> None:
    desk, applicant, case = submitted
    monkeypatch.setattr(dates, "today", lambda: date(2026, 2, 13))
    case = services.case_accept(case_id=case.pk, actor=desk.clerk)
    html = receipt_html(case, viewer=applicant, status_link="https://zwfw.example.gov.cn/cases/status/x/")
    assert "2026-02-13" in html  # accepted on
    assert case.statutory_due is not None and case.statutory_due.isoformat() in html
    assert case.promised_due is not None and case.promised_due.isoformat() in html
    text = _text(_download(client, applicant, case))
    assert case.statutory_due.isoformat() in text and str(case.number) in text


def test_the_qr_code_is_the_signed_status_link(client, submitted) -> None:
    _desk, applicant, case = submitted
    request = RequestFactory().get("/")
    link = status_link(request, case)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert links.case_id_from_token(token) == case.pk
    # The QR code drawn on the receipt is the one that encodes the status link.
    assert pdf.qr_svg(link) in receipt_html(case, viewer=applicant, status_link=link)
    client.force_login(applicant)
    page = Client().get(reverse("cases:status", args=[token]))
    assert page.status_code == 200 and case.number in page.content.decode()


def test_only_the_applicant_gets_the_receipt(client, submitted) -> None:
    desk, _applicant, case = submitted
    url = reverse("cases:receipt_pdf", args=[case.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(citizen())
    assert client.get(url).status_code == 404
    client.force_login(desk.handler)  # staff see the case in the workbench, not the applicant's receipt
    assert client.get(url).status_code == 404


def test_the_receipt_page_links_to_the_pdf(client, submitted) -> None:
    _desk, applicant, case = submitted
    client.force_login(applicant)
    page = client.get(reverse("cases:receipt", args=[case.pk]))
    assert reverse("cases:receipt_pdf", args=[case.pk]) in page.content.decode()


def test_rendering_the_receipt_fetches_nothing(submitted) -> None:
    _desk, applicant, case = submitted
    fetcher = pdf.OfflineFetcher()
    document = receipt_pdf_bytes(case, viewer=applicant, status_link="https://zwfw.example.gov.cn/s/", fetcher=fetcher)
    assert document.startswith(b"%PDF-")
    assert fetcher.refused == []


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("王小明", "王*明"), ("欧阳娜娜", "欧**娜"), ("李", "*"), ("", "")]
)
def test_names_are_masked(name, masked) -> None:
    assert mask_name(name) == masked
