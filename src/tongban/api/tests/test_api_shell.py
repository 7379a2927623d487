import json
import re

import pytest
from django.test import RequestFactory
from ninja.errors import ValidationError

from tongban.api.api import _validation_error
from tongban.common.public import NotFound

pytestmark = pytest.mark.django_db


def test_openapi_document_is_3_1_and_lists_the_system_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/system/health", "/api/v1/system/meta"} <= set(document["paths"])


def test_docs_page_loads_nothing_from_the_internet(client):
    page = client.get("/api/v1/docs").content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    assert "swagger-ui" in page


def test_chinese_stays_unescaped(client):
    raw = client.get("/api/v1/system/meta").content.decode()
    assert "通办" in raw and "\\u" not in raw


def test_validation_errors_name_the_field_to_fix():
    request = RequestFactory().post("/api/v1/x")
    error = ValidationError(
        [
            {"loc": ("body", "payload", "phone"), "msg": "Field required", "type": "missing"},
            {"loc": ("query", "limit"), "msg": "Input should be less than 100", "type": "less_than"},
        ]
    )
    response = _validation_error(request, error)
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "code": "validation_error",
        "message": json.loads(response.content)["message"],
        "fields": {"phone": "Field required", "limit": "Input should be less than 100"},
    }


def test_domain_errors_carry_their_status_and_code():
    error = NotFound("no such case", fields={"case_id": "unknown"})
    assert error.status == 404
    assert error.as_payload() == {
        "code": "not_found",
        "message": "no such case",
        "fields": {"case_id": "unknown"},
    }
