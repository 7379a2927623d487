import base64
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from tongban.cases import dates
from tongban.cases.models import Case, CaseEvent
from tongban.cases.tests.factories import PDF, citizen, office

pytestmark = pytest.mark.django_db
ERROR_SHAPE = {"code", "message", "fields"}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: date(2026, 2, 13))


def _apply(client, desk, key="key-0001", materials=(1, 2)):
    body = {
        "item_code": desk.item_code,
        "form_data": {"说明": "申请"},
        "materials": [{"position": p, "source": "upload", "content_base64": base64.b64encode(PDF).decode()}
                      for p in materials],
    }  # fmt: skip
    return client.post("/api/v1/cases", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_apply_is_idempotent(client):
    desk, applicant = office(), citizen()
    client.force_login(applicant)
    first = _apply(client, desk)
    assert first.status_code == 201, first.content
    again = _apply(client, desk)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1
    assert first.json()["stage"] == "submitted" and first.json()["number"]


def test_an_application_with_nothing_to_upload_answers_what_a_later_read_shows(client):
    desk, applicant = office(materials=0), citizen()
    client.force_login(applicant)
    answer = _apply(client, desk, materials=())
    assert answer.status_code == 201, answer.content
    shown = client.get(f"/api/v1/cases/{answer.json()['id']}").json()
    assert answer.json() == shown
    assert [e["action"] for e in shown["timeline"]] == ["submit"] and shown["materials"] == []


def test_apply_without_a_key_or_with_missing_materials_is_refused_whole(client):
    desk, applicant = office(), citizen()
    client.force_login(applicant)
    no_key = client.post("/api/v1/cases", {"item_code": desk.item_code}, content_type="application/json")
    assert no_key.status_code == 400 and set(no_key.json()) == ERROR_SHAPE
    assert no_key.json()["code"] == "idempotency_key_required"
    incomplete = _apply(client, desk, materials=(1,))
    assert incomplete.status_code == 400
    assert incomplete.json()["code"] == "precheck_failed" and list(incomplete.json()["fields"]) == ["material_2"]
    assert not Case.objects.exists()


def test_draft_upload_and_precheck_over_http(client):
    desk, applicant = office(), citizen()
    client.force_login(applicant)
    draft = client.post("/api/v1/cases/drafts", {"item_code": desk.item_code}, content_type="application/json")
    assert draft.status_code == 201
    case_id = draft.json()["id"]
    assert [m["label"] for m in draft.json()["missing"]] == ["申请材料1", "申请材料2"]
    upload = client.post(
        f"/api/v1/cases/{case_id}/materials",
        {"position": "1", "source": "upload", "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )
    assert upload.status_code == 200, upload.content
    assert [m["position"] for m in upload.json()["materials"]] == [1]
    bad = client.post(
        f"/api/v1/cases/{case_id}/materials",
        {"position": "2", "source": "upload", "file": SimpleUploadedFile("a.exe", b"MZ\x90", "application/pdf")},
    )
    assert bad.status_code == 400 and bad.json()["fields"] == {"file": gettext("Upload a PDF, JPEG or PNG file.")}
    assert [m["field"] for m in client.get(f"/api/v1/cases/{case_id}/precheck").json()] == ["material_2"]


def test_queue_is_scoped_and_actions_answer_403_404_409(client):
    desk, elsewhere, applicant = office(), office(), citizen()
    client.force_login(applicant)
    case_id = _apply(client, desk).json()["id"]

    client.force_login(desk.handler)
    assert [c["id"] for c in client.get("/api/v1/cases/queue").json()] == [case_id]
    accepted = client.post(f"/api/v1/cases/{case_id}/actions/accept", {}, content_type="application/json")
    assert accepted.status_code == 200
    body = accepted.json()
    assert (body["stage"], body["statutory_due"], body["due"]) == ("handling", "2026-03-19", "2026-02-27")
    assert body["remaining_working_days"] == 5  # officers work to the promised date
    stale = body["version"] - 1
    conflict = client.post(f"/api/v1/cases/{case_id}/actions/forward", {"expected_version": stale},
                           content_type="application/json")  # fmt: skip
    assert conflict.status_code == 409 and set(conflict.json()) == ERROR_SHAPE

    client.force_login(desk.reviewer)
    forbidden = client.post(f"/api/v1/cases/{case_id}/actions/forward", {}, content_type="application/json")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"

    client.force_login(elsewhere.handler)
    assert client.get("/api/v1/cases/queue").json() == []
    hidden = client.post(f"/api/v1/cases/{case_id}/actions/forward", {}, content_type="application/json")
    assert hidden.status_code == 404 and client.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert CaseEvent.objects.filter(case_id=case_id).count() == 3  # start, submit, accept: refusals wrote nothing


def test_anonymous_requests_get_401_in_the_error_shape(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401 and set(response.json()) == ERROR_SHAPE
    unknown = client.post("/api/v1/cases/1/actions/explode", {}, content_type="application/json")
    assert unknown.status_code in {401, 422} and set(unknown.json()) == ERROR_SHAPE
