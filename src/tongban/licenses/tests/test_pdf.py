"""The license certificate PDF: Chinese text, the signed credential attached, a QR code to the verification page,
only for the holder, and nothing fetched while rendering."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tongban.common.public import pdf
from tongban.identity.tests.factories import EnterpriseFactory, UserFactory
from tongban.licenses import pdf as certificate
from tongban.licenses.models import License, LicenseUse
from tongban.licenses.public import license_issue, license_revoke, validate_credential, verify_license
from tongban.licenses.tests.factories import FIELDS, LicenseTypeFactory, staff_of

pytestmark = pytest.mark.django_db


def _issue(holder: Any = None, **type_overrides: Any) -> License:
    kind = LicenseTypeFactory(name="食品经营许可证", **type_overrides)
    return license_issue(
        license_type=kind,
        holder=holder or UserFactory(first_name="张三", last_name=""),
        fields=FIELDS,
        case_ref="440106-20260101-000001",
        actor=staff_of(kind),
    )


def _download(client: Client, item: License) -> bytes:
    user = item.holder_user or item.holder_enterprise.legal_representative  # type: ignore[union-attr]
    client.force_login(user)
    response = client.get(reverse("licenses:pdf", args=[item.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{item.number}.pdf"' in response["Content-Disposition"]
    return response.content


def _text(document: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_the_holder_downloads_a_chinese_pdf_carrying_the_license(client: Client) -> None:
    item = _issue()
    document = _download(client, item)

    text = _text(document)
    assert "食品经营许可证" in text
    assert item.number in text
    assert "张三" in text  # the holder
    assert str(FIELDS["name"]) in text and str(FIELDS["address"]) in text
    assert "经营范围" in text  # fields labelled with the schema's titles
    assert str(item.license_type.issuing_department.name) in text
    assert item.valid_from.strftime("%Y-%m-%d")[:4] in text

    reader = PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    resources: Any = reader.pages[0]["/Resources"]
    fonts = {str(font.get_object()["/BaseFont"]) for font in resources["/Font"].values()}
    assert fonts and all("-CJK-SC" in name for name in fonts), fonts  # no fallback font, no tofu
    # Downloading is not one of the usage log's kinds (verified, attached, shown): nothing is recorded.
    assert not LicenseUse.objects.filter(license=item).exclude(kind=LicenseUse.Kind.ISSUED).exists()


def test_the_attached_file_is_the_signed_credential_and_verifies(client: Client) -> None:
    item = _issue()
    reader = PdfReader(io.BytesIO(_download(client, item)))

    assert list(reader.attachments) == [f"{item.number}.json"]
    (content,) = reader.attachments[f"{item.number}.json"]
    credential = json.loads(content)
    assert credential == item.credential
    assert validate_credential(credential) == []
    assert verify_license(credential) == {"valid": True, "reasons": []}


def test_an_enterprise_license_names_the_enterprise_and_its_representative_downloads_it(client: Client) -> None:
    enterprise = EnterpriseFactory(name="广州张三餐饮有限公司")
    item = _issue(holder=enterprise, enterprise=True)
    assert "广州张三餐饮有限公司" in _text(_download(client, item))


def test_the_qr_code_opens_the_verification_page_of_this_license(client: Client) -> None:
    item = _issue()
    link = certificate.verification_link(item)
    assert link.startswith("https://zwfw.example.gov.cn/licenses/verify/?c=")
    # The QR code drawn on the certificate is the one that encodes this link.
    assert pdf.qr_svg(link) in certificate.certificate_html(item)

    assert certificate.verification_link(item) == link  # the same on every print
    token = parse_qs(urlsplit(link).query)["c"][0]
    assert certificate.number_from_qr_token(token) == item.number
    page = Client().get(reverse("licenses:verify"), {"c": token})
    assert page.status_code == 200
    assert b'data-testid="verify-valid"' in page.content
    assert item.number in page.content.decode()
    use = LicenseUse.objects.get(license=item, kind=LicenseUse.Kind.VERIFIED)
    assert use.actor_label == "QR code of the PDF"

    # A printed copy keeps pointing at the current status.
    license_revoke(license=item, reason="事后核查不符", actor=staff_of(item.license_type))
    page = Client().get(reverse("licenses:verify"), {"c": token})
    assert b'data-reason="revoked"' in page.content


def test_a_forged_or_foreign_token_is_refused(client: Client) -> None:
    item = _issue()
    from tongban.licenses.views import show_token

    for token in ["x" + certificate.qr_token(item.number), show_token(item.number)]:
        page = client.get(reverse("licenses:verify"), {"c": token})
        assert page.context["token_invalid"] is True
        assert "result" not in page.context


def test_only_the_holder_gets_the_pdf(client: Client) -> None:
    item = _issue()
    url = reverse("licenses:pdf", args=[item.number])
    assert client.get(url).status_code == 302  # to the login page

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(staff_of(item.license_type))  # not even the issuing department's staff (wallet only)
    assert client.get(url).status_code == 404


def test_the_detail_page_links_to_the_pdf(client: Client) -> None:
    item = _issue()
    client.force_login(item.holder_user)  # type: ignore[arg-type]
    page = client.get(reverse("licenses:detail", args=[item.number]))
    assert reverse("licenses:pdf", args=[item.number]) in page.content.decode()


def test_rendering_the_certificate_fetches_nothing() -> None:
    item = _issue()
    fetcher = pdf.OfflineFetcher()
    document = certificate.certificate_pdf(item, fetcher=fetcher)
    assert document.startswith(b"%PDF-")
    assert fetcher.refused == []
