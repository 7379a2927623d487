import pytest

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    first = client.get("/")
    assert len(first["X-Request-ID"]) == 32
    kept = client.get("/", HTTP_X_REQUEST_ID="proxy-req-0001")
    assert kept["X-Request-ID"] == "proxy-req-0001"
    unsafe = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert unsafe["X-Request-ID"] != "<script>alert(1)</script>"


def test_request_log_has_event_and_ids_but_no_query_string(client, caplog):
    with caplog.at_level("INFO", logger="tongban.http"):
        client.get("/?q=110105194912310021")
    record = next(r for r in caplog.records if getattr(r, "event", "") == "http_request")
    assert record.fields["path"] == "/" and record.fields["status"] == "200"  # values are redacted as text
    assert "110105194912310021" not in record.getMessage() + str(record.fields)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("delete", "/api/v1/system/meta", 405, "method_not_allowed"),
    ],
)
def test_api_paths_never_answer_html(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": code, "message": response.json()["message"], "fields": {}}
    assert response.json()["message"]


def test_pages_answer_a_friendly_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_api_csrf_failure_is_shaped(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/v1/system/meta", data="{}", content_type="application/json")
    assert response.status_code in {403, 405}
    assert set(response.json()) == {"code", "message", "fields"}
