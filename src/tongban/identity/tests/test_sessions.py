"""The session engine that reads the session and its user in one query (identity.sessions)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tongban.identity.models import SignInSession
from tongban.identity.sessions import SessionStore, loaded_user
from tongban.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/identity/me"


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_session_row_names_its_user_and_logout_removes_it():
    user = UserFactory()
    browser = signed_in(user)
    assert SignInSession.objects.get().user_id == user.pk
    browser.logout()
    assert not SignInSession.objects.exists()


def test_a_signed_in_request_reads_session_and_user_in_one_query():
    user = UserFactory()
    browser = signed_in(user)
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("identity_signinsession" in q for q in sql) == 1
    assert not [q for q in sql if 'FROM "identity_user" WHERE' in q]  # no second look-up of the user by id


def test_a_deactivated_user_is_signed_out_at_the_next_request():
    user = UserFactory()
    browser = signed_in(user)
    assert browser.get(ME).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert browser.get(ME).status_code == 401


def test_a_password_change_elsewhere_ends_the_session():
    user = UserFactory()
    browser = signed_in(user)
    user.set_password("another-long-passphrase-2")
    user.save(update_fields=["password"])
    assert browser.get(ME).status_code == 401  # Django's session-hash check still runs on the joined user
    assert not SignInSession.objects.exists()


def test_no_user_is_carried_over_to_the_next_request_of_the_thread():
    browser = signed_in(UserFactory())
    assert browser.get(ME).status_code == 200
    assert Client().get(ME).status_code == 401
    assert loaded_user.get() is None


def test_an_expired_session_is_anonymous():
    browser = signed_in(UserFactory())
    SignInSession.objects.update(expire_date="2000-01-01T00:00:00Z")
    assert browser.get(ME).status_code == 401


def test_a_session_text_s_signature_is_checked_once_and_its_data_is_read_fresh_each_time(monkeypatch):
    user = UserFactory()
    browser = signed_in(user)
    text = SignInSession.objects.get().session_data
    checks = []
    real_loads = signing.loads

    def counted_loads(*args, **kwargs):
        checks.append(args[0])
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(signing, "loads", counted_loads)
    store = SessionStore()
    first = store.decode(text)
    first["changed"] = True  # a request changes its own copy
    second = store.decode(text)
    assert "changed" not in second and second[SESSION_KEY] == str(user.pk)
    assert len(checks) <= 1  # at most once (the login above may already have checked it)
    tampered = text[:-1] + ("A" if text[-1] != "A" else "B")
    assert store.decode(tampered) == {}  # another text is checked on its own, and a bad signature fails
    assert browser.get(ME).status_code == 200
