"""Bundle and post-check pages and their API: apply once, follow it, decide a post-check; scoped, one error shape."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from tongban.cases import bundles, commitments
from tongban.cases.models import BundleCase, PostCheck, PostCheckStatus
from tongban.cases.tests.bundle_setup import Setup, applicant, approve_through, small_bundle
from tongban.cases.tests.factories import PDF
from tongban.licenses.public import License, LicenseStatus

pytestmark = pytest.mark.django_db


def _post_apply(client: Any, setup: Setup, **extra: Any) -> Any:
    plan = bundles.bundle_plan(slug=setup.slug)
    data: dict[str, Any] = {
        "form-name": "张记小吃",
        "form-address": "广安区建设路1号",
        "form-area": "40",
        "form-idempotency_key": "page-key-1",
        "commit": [setup.permit.item_code],
        **extra,
    }
    for m in plan.materials:
        if not m.from_step and not m.commitment_steps:
            data[f"material_{m.key}"] = SimpleUploadedFile(f"{m.key}.pdf", PDF, content_type="application/pdf")
    return client.post(f"/cases/bundles/apply/{setup.slug}/", data)


def test_the_apply_page_submits_once_and_the_bundle_page_shows_progress_and_saving(client, license_keys):
    setup = small_bundle()
    person = applicant()
    client.force_login(person)
    page = client.get(f"/cases/bundles/apply/{setup.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "管理制度" in text and "commit-2" in text and 'id="saving-materials-before">7<' in text

    response = _post_apply(client, setup)
    bundle = BundleCase.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/bundles/{bundle.pk}/"
    again = _post_apply(client, setup)  # a second click: the same application
    assert again.url == response.url and BundleCase.objects.count() == 1

    page = client.get(response.url)
    body = page.content.decode()
    assert bundle.number in body and 'id="saving-days-after">11<' in body and 'id="saving-days-before">16<' in body
    assert body.count('id="child-') == 3
    assert client.get("/cases/bundles/").status_code == 200

    client.force_login(applicant())
    assert client.get(response.url).status_code == 404  # someone else's


def test_a_refused_application_lists_what_is_missing_next_to_each_thing(client, license_keys):
    setup = small_bundle()
    client.force_login(applicant())
    response = client.post(
        f"/cases/bundles/apply/{setup.slug}/", {"form-name": "张记", "form-idempotency_key": "page-key-2"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert gettext("Some things are still missing; the list shows each one.") in body
    assert 'href="#material-1"' in body and 'href="#id_form-address"' in body
    assert not BundleCase.objects.exists()


def test_officers_see_their_postchecks_and_a_failed_one_revokes_the_result(client, license_keys):
    setup = small_bundle()
    person = applicant()
    bundle, _created = bundles.bundle_apply(
        applicant=person, actor=person, slug=setup.slug, form_data={"name": "张记", "address": "建设路1号", "area": 9},
        materials=[{"key": m.key, "content": PDF} for m in bundles.bundle_plan(slug=setup.slug).materials
                   if not m.from_step and not m.commitment_steps],
        commit_for=[setup.permit.item_code], idempotency_key="k-1",
    )  # fmt: skip
    approve_through(bundle.children.get(item_code=setup.register.item_code).pk, setup.register)
    approve_through(bundle.children.get(item_code=setup.permit.item_code).pk, setup.permit)
    check = PostCheck.objects.get()

    client.force_login(setup.sign.handler)
    assert check.case.number not in client.get("/workbench/postchecks/").content.decode()
    assert client.get(f"/workbench/postchecks/{check.pk}/").status_code == 404
    client.force_login(setup.permit.handler)
    assert check.case.number in client.get("/workbench/postchecks/").content.decode()
    refused = client.post(
        f"/workbench/postchecks/{check.pk}/", {"result": "failed", "findings": "", "expected_version": 0}
    )
    assert refused.status_code == 400
    done = client.post(
        f"/workbench/postchecks/{check.pk}/", {"result": "failed", "findings": "制度未建立", "expected_version": 0}
    )
    assert done.status_code == 302
    assert PostCheck.objects.get().status == PostCheckStatus.FAILED
    assert License.objects.get(case_ref=check.case.number).status == LicenseStatus.REVOKED
    client.force_login(setup.sign.handler)  # staff of the applicant's other case, in another department
    record = client.get(f"/workbench/cases/{bundle.children.get(item_code=setup.sign.item_code).pk}/record/")
    assert "制度未建立" in record.content.decode()
    client.force_login(person)
    assert "制度未建立" in client.get("/cases/record/").content.decode()


def test_the_api_plans_applies_idempotently_follows_and_decides(client, license_keys):
    setup = small_bundle()
    person = applicant()
    client.force_login(person)
    plan = client.get(f"/api/v1/bundles/{setup.slug}/plan").json()
    assert plan["saving"]["materials_before"] == 7 and plan["saving"]["materials_after"] == 5
    assert [f["name"] for f in plan["fields"]] == ["name", "address", "area"]
    payload = {
        "form_data": {"name": "张记", "address": "建设路1号", "area": 12},
        "materials": [
            {"key": m["key"], "content_base64": base64.b64encode(PDF).decode()}
            for m in plan["materials"]
            if not m["from_step"] and not m["commitment_items"]
        ],
        "commit_for": [setup.permit.item_code],
    }
    refused = client.post(f"/api/v1/bundles/{setup.slug}/apply", payload, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "idempotency_key_required"
    assert set(refused.json()) == {"code", "message", "fields"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "bundle-api-1"}
    first = client.post(f"/api/v1/bundles/{setup.slug}/apply", payload, content_type="application/json", **headers)
    second = client.post(f"/api/v1/bundles/{setup.slug}/apply", payload, content_type="application/json", **headers)
    assert (first.status_code, second.status_code) == (201, 200) and first.json()["id"] == second.json()["id"]
    bundle_id = first.json()["id"]
    assert [c["stage"] for c in first.json()["children"]] == ["submitted", "waiting", "waiting"]
    detail = client.get(f"/api/v1/bundles/applications/{bundle_id}").json()
    assert detail["total"] == 3 and detail["saving"]["days_after"] == 11

    bundle = BundleCase.objects.get(pk=bundle_id)
    approve_through(bundle.children.get(item_code=setup.register.item_code).pk, setup.register)
    approve_through(bundle.children.get(item_code=setup.permit.item_code).pk, setup.permit)
    client.force_login(setup.permit.approver)
    (check,) = client.get("/api/v1/commitments/postchecks").json()
    url = f"/api/v1/commitments/postchecks/{check['id']}/decision"
    answer = client.post(url, {"result": "passed"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "passed"
    assert client.post(url, {"result": "failed", "findings": "x"}, content_type="application/json").status_code == 409
    client.force_login(person)
    assert client.get("/api/v1/commitments/postchecks").json() == []
    assert commitments.commitment_record(applicant_id=person.pk) == []
