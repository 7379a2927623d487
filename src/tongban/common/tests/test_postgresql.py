"""The PostgreSQL backend (ADR 0009): parameters bound by the server, often-run statements prepared, and a
statement with more parameters than the protocol carries still sent whole."""

import importlib
from types import SimpleNamespace

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


# --- The health check skipped just after use ------------------------------------------------------------------
class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def own_connection(postgresql, monkeypatch):
    """A connection of its own to the test database, with health checks on and kept between requests as in
    production; its checks are counted and its clock is ours."""
    from tongban.common.postgresql import base

    clock = _Clock()
    monkeypatch.setattr(base, "time", clock)
    wrapper = base.DatabaseWrapper({**connection.settings_dict, "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True})
    probe = SimpleNamespace(wrapper=wrapper, clock=clock, checks=0)
    is_usable = wrapper.is_usable

    def counted() -> bool:
        probe.checks += 1
        return is_usable()

    monkeypatch.setattr(wrapper, "is_usable", counted)
    yield probe
    wrapper.close()


def _request(wrapper, *, query: bool = True):
    """What Django does around a request (``close_old_connections`` on its start and end), with one query."""
    wrapper.close_if_unusable_or_obsolete()
    if query:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
    wrapper.close_if_unusable_or_obsolete()


def test_a_connection_used_a_moment_ago_is_not_checked_again_but_one_idle_for_longer_is(own_connection):
    probe = own_connection
    wrapper, clock = probe.wrapper, probe.clock
    _request(wrapper)  # opens the connection: nothing to check
    clock.now += 0.2
    _request(wrapper)
    clock.now += 0.4  # 0.4 s after the last use: still inside the window
    _request(wrapper)
    assert probe.checks == 0
    clock.now += 0.6
    _request(wrapper)
    assert probe.checks == 1


def test_a_request_that_did_not_use_the_connection_does_not_renew_the_window(own_connection):
    probe = own_connection
    wrapper, clock = probe.wrapper, probe.clock
    _request(wrapper)
    clock.now += 0.4
    _request(wrapper, query=False)  # starting and ending a request proves nothing about the connection
    clock.now += 0.4  # 0.8 s after the last use
    _request(wrapper)
    assert probe.checks == 1


def test_after_a_database_error_the_connection_is_checked_before_it_is_trusted_again(own_connection):
    from django.db import DatabaseError

    probe = own_connection
    wrapper, clock = probe.wrapper, probe.clock

    def failing_request() -> None:
        wrapper.close_if_unusable_or_obsolete()
        with pytest.raises(DatabaseError), wrapper.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        wrapper.close_if_unusable_or_obsolete()  # Django checks a connection that met an error at the request's end

    _request(wrapper)
    failing_request()
    assert probe.checks == 1
    clock.now += 10
    _request(wrapper)  # that check vouches for the connection then, not 10 s later
    assert probe.checks == 2
    failing_request()
    assert probe.checks == 3
    clock.now += 0.1
    _request(wrapper)  # but it does just after
    assert probe.checks == 3


def test_a_connection_lost_while_idle_is_replaced_before_the_next_request_uses_it(own_connection):
    probe = own_connection
    wrapper, clock = probe.wrapper, probe.clock
    _request(wrapper)
    with connection.cursor() as cursor:  # the server ends the session (a restart, an idle timeout)
        cursor.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])
    clock.now += 1
    _request(wrapper)  # checked, found dead, reconnected: the request's query succeeds
    assert probe.checks == 1
