"""The PostgreSQL backend (ADR 0009): parameters bound by the server, often-run statements prepared, and a
statement with more parameters than the protocol carries still sent whole."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tongban.common.models import Message
from tongban.common.postgresql.base import MAX_BOUND_PARAMETERS, ServerBindingCursor

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's backend")


def test_a_postgresql_url_selects_the_backend_with_prepared_statements_and_the_setting_turns_them_off(monkeypatch):
    base = importlib.import_module("tongban.settings.base")
    config = base._database("postgres://u@127.0.0.1:5432/db")
    assert config["ENGINE"] == "tongban.common.postgresql"
    assert config["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setattr(base, "DB_PREPARED_STATEMENTS", False)
    assert base._database("postgres://u@127.0.0.1:5432/db")["OPTIONS"] == {}  # Django's default


def test_a_statement_run_often_is_prepared_on_the_connection(postgresql):
    user = get_user_model().objects.create(username="prepared")
    connection.ensure_connection()
    assert isinstance(connection.connection.cursor(), ServerBindingCursor)
    for _ in range(6):
        assert get_user_model().objects.filter(pk=user.pk).values_list("username", flat=True).get() == "prepared"
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "identity_user"' in statement and "$1" in statement for statement in prepared), prepared


def test_more_parameters_than_the_protocol_carries_are_written_into_the_statement(postgresql):
    values = [f"it's {n}%" for n in range(MAX_BOUND_PARAMETERS + 5)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ARRAY[{', '.join(['%s'] * len(values))}]::text[]", values)
        assert cursor.fetchone()[0] == values  # quotes and percent signs arrive as sent


def test_an_in_list_beyond_the_protocol_limit_is_answered(postgresql):
    recipient = get_user_model().objects.create(username="many-messages")
    kept = Message.objects.bulk_create(Message(recipient=recipient, subject=f"#{n}", body="100%") for n in range(3))
    wanted = [kept[0].pk, kept[2].pk, *range(-MAX_BOUND_PARAMETERS, 0)]  # the ORM binds one parameter per id
    assert sorted(Message.objects.filter(pk__in=wanted).values_list("subject", flat=True)) == ["#0", "#2"]
