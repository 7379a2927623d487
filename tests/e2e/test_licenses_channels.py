"""Licenses over HTTP: the verify API, issuing and status changes, the published DID document, context and
status lists, the verification page (paste, upload, 亮证 scan link) and the wallet.

Until the root URL map and the API mount the licenses context, this module is its own URL map: the site as it
is plus ``path("", include("tongban.licenses.urls"))`` and the licenses router at /api/v1/licenses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from ninja import NinjaAPI

from tongban.api.routers.licenses import router
from tongban.common.public import DomainError
from tongban.identity.models import User
from tongban.licenses import keys, resolvers
from tongban.licenses.models import License, LicenseUse
from tongban.licenses.public import license_issue, license_revoke, license_suspend
from tongban.licenses.tests.conftest import TEST_KEY
from tongban.licenses.tests.factories import FIELDS, LicenseTypeFactory, holder, staff_of
from tongban.urls import urlpatterns as root_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _api() -> NinjaAPI:
    """A private API with the licenses router, mapped as tongban.api maps errors."""
    api = NinjaAPI(urls_namespace="licenses-test-api")
    api.add_router("/licenses", router)

    @api.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_payload(), status=exc.status)

    return api


urlpatterns = [
    path("api/v1/", _api().urls),
    path("", include("tongban.licenses.urls")),
    *root_urlpatterns,
]


@pytest.fixture(autouse=True)
def license_settings(tmp_path: Path) -> Iterator[None]:
    with override_settings(
        LICENSE_SIGNING_KEY=TEST_KEY, LICENSE_CACHE_DIR=tmp_path / "cache", SITE_URL="https://zwfw.example.gov.cn"
    ):
        keys.forget_cached_key()
        keys._DB_KEYS.clear()
        resolvers._BITS.clear()
        yield
    keys.forget_cached_key()


def _issue(person: User | None = None) -> License:
    kind = LicenseTypeFactory()
    return license_issue(
        license_type=kind, holder=person or holder(), fields=FIELDS, case_ref="C-1", actor=staff_of(kind)
    )


def test_api_verify_and_status_changes(client: Client) -> None:
    item = _issue()
    response = client.post("/api/v1/licenses/verify", json.dumps(item.credential), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"valid": True, "reasons": []}
    officer = staff_of(item.license_type)
    client.force_login(officer)
    response = client.post(
        f"/api/v1/licenses/{item.number}/revoke", json.dumps({"reason": "核查不通过"}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    response = client.post("/api/v1/licenses/verify", json.dumps(item.credential), content_type="application/json")
    assert response.json() == {"valid": False, "reasons": ["revoked"]}
    response = client.post("/api/v1/licenses/verify", "nonsense", content_type="application/json")
    assert response.json()["reasons"] == ["malformed:not_json"]


def test_api_issue_and_wallet(client: Client) -> None:
    kind = LicenseTypeFactory()
    person = holder()
    client.force_login(staff_of(kind))
    body = {"license_type": kind.code, "holder_username": person.username, "fields": FIELDS, "case_ref": "C-9"}
    response = client.post("/api/v1/licenses/issue", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    client.force_login(person)
    assert [r["case_ref"] for r in client.get("/api/v1/licenses/mine").json()] == ["C-9"]
    client.force_login(holder())
    response = client.post("/api/v1/licenses/issue", json.dumps(body), content_type="application/json")
    assert response.status_code == 403


def test_did_document_context_and_status_list_are_published(client: Client) -> None:
    item = _issue()
    did = client.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:zwfw.example.gov.cn"
    assert item.credential["proof"]["verificationMethod"] in did["assertionMethod"]
    assert client.get("/licenses/contexts/v1.jsonld").json()["@context"]["@protected"] is True
    status = client.get(f"/licenses/status/revocation/{item.status_list_no}").json()
    assert status["credentialSubject"]["statusPurpose"] == "revocation"
    assert client.get("/licenses/status/revocation/99").status_code == 404


def test_verification_page_paste_upload_and_show_token(client: Client) -> None:
    person = holder()
    item = _issue(person)
    page = client.post("/licenses/verify/", {"text": json.dumps(item.credential)})
    assert page.status_code == 200 and b'data-testid="verify-valid"' in page.content
    upload = StringIO(json.dumps(item.credential))
    upload.name = "license.json"
    assert b"verify-valid" in client.post("/licenses/verify/", {"file": upload}).content
    client.force_login(person)
    assert item.number.encode() in client.get("/licenses/wallet/").content
    assert client.get(f"/licenses/wallet/{item.number}/").status_code == 200
    assert client.get(f"/licenses/wallet/{item.number}/credential.json").json() == item.credential
    shown = client.post(f"/licenses/wallet/{item.number}/show")
    assert b"<svg" in shown.content
    link = shown.context["link"]
    client.logout()
    scanned = client.get(link.split("zwfw.example.gov.cn", 1)[1])
    assert b"verify-valid" in scanned.content
    license_suspend(license=item, actor=None, reason="x")
    scanned = client.get(link.split("zwfw.example.gov.cn", 1)[1])
    assert b'data-reason="suspended"' in scanned.content
    kinds = set(LicenseUse.objects.filter(license=item).values_list("kind", flat=True))
    assert {"issued", "verified", "shared", "status"} <= kinds
    assert client.get("/licenses/verify/?t=bogus").context["token_invalid"] is True
    client.force_login(holder())
    assert client.get(f"/licenses/wallet/{item.number}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_cli_refreshes_its_cache_from_the_published_documents(live_server: object, tmp_path: Path) -> None:
    """Online: `tongban license verify` fetches the did:web document and the status lists, then works offline."""
    site = str(live_server.url)  # type: ignore[attr-defined]
    with override_settings(SITE_URL=site):
        keys.forget_cached_key()
        item = _issue()
        file = tmp_path / "license.json"
        file.write_text(json.dumps(item.credential))
        assert item.credential["issuer"]["id"] == "did:web:" + site.split("//")[1].replace(":", "%3A")
        out = StringIO()
        call_command("license", "verify", str(file), "--json", stdout=out)
        assert json.loads(out.getvalue()) == {"valid": True, "reasons": []}
        license_revoke(license=item, actor=None, reason="x")
        out = StringIO()
        with pytest.raises(CommandError):
            call_command("license", "verify", str(file), "--json", stdout=out)
        assert json.loads(out.getvalue())["reasons"] == ["revoked"]
        out = StringIO()
        call_command("license", "cache", "refresh", "--json", stdout=out)
        assert json.loads(out.getvalue()) == {"failed": []}
