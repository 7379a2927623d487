"""A staff session waiting for its TOTP code reaches nothing staff-only: not pages, not the API."""

import pytest

from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_staff_client(client):
    officer = StaffAssignmentFactory(role=StaffRole.SUPERVISOR).user
    client.force_login(officer)
    session = client.session
    session["identity_second_factor"] = "pending"
    session.save()
    return client


@pytest.mark.parametrize("path", ["/workbench/", "/supervision/", "/ratings/tickets/", "/cases/", "/admin/"])
def test_pages_send_a_pending_staff_session_to_the_second_factor(pending_staff_client, path):
    response = pending_staff_client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/account/second-factor/")


def test_the_api_answers_401_in_the_error_shape(pending_staff_client):
    response = pending_staff_client.get("/api/v1/cases/queue")
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"


def test_the_second_factor_page_and_logout_stay_open(pending_staff_client):
    assert pending_staff_client.get("/account/second-factor/").status_code == 200
    assert pending_staff_client.get("/static/tongban/css/site.css").status_code == 200
