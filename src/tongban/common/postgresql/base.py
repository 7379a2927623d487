"""Django's PostgreSQL backend with server-side parameter binding and prepared statements (ADR 0009), whose
health check is skipped for a connection used without error a moment ago (:class:`DatabaseWrapper`).

With Django's default (client-side binding, nothing prepared) PostgreSQL parses and plans every statement
afresh, and psycopg quotes every parameter into the SQL text in Python. Here parameters travel separately,
and a statement text one connection runs five times (``prepare_threshold`` in the settings) is prepared on
it: later runs skip parsing and planning. On the bench this took about a third off
PostgreSQL's CPU per submission and about 15% off the server's (figures in the ADR).

PostgreSQL's protocol carries at most 65,535 parameters per statement, which a long ``__in`` list (or a
``bulk_create`` that cannot send one array per column) exceeds; such a statement is sent with its values
written into the text, as before.

``TONGBAN_DB_PREPARED_STATEMENTS=false`` returns to Django's default: needed behind a pooler in transaction
mode that does not track prepared statements (pgbouncer before 1.21, or ``max_prepared_statements = 0``).
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
from django.db.backends.postgresql import base

MAX_BOUND_PARAMETERS = 65_535  # the protocol's limit: a Bind message counts parameters in 16 bits


class ServerBindingCursor(base.ServerBindingCursor):  # type: ignore[name-defined,misc]  # defined under psycopg 3 only
    """Parameters bound by the server, except for a statement with more than the protocol carries."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, prepare=False, binary=binary)
        return super().execute(query, params, prepare=prepare, binary=binary)


# A connection a request used without error less than this long ago is not checked again by the next request,
# as HikariCP skips its alive check for a connection used in the last 500 ms.
HEALTH_CHECK_BYPASS_SECONDS = 0.5


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's, with parameters bound by the server (above) and its health check skipped just after use.

    ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request: a round trip that cost
    about 0.3 ms of CPU per submission (server and PostgreSQL, over 20 interleaved rounds), under load,
    when every connection has just been used. Here the check is skipped while the connection is within
    ``HEALTH_CHECK_BYPASS_SECONDS`` of a request that used it and met no database error; a connection idle for
    longer is checked as before. A connection lost inside that window fails the request that finds it, as one
    lost between the check and the query always could, and Django replaces it after that request."""

    health_check_done: bool  # set by Django (not in its stubs)
    _known_good_until = 0.0

    def close_if_unusable_or_obsolete(self) -> None:
        # Django calls this when a request starts and when it ends. Opening a cursor in between sets
        # ``health_check_done``; after a database error Django checks the connection here and sets it too.
        used_without_error = self.connection is not None and self.health_check_done and not self.errors_occurred
        super().close_if_unusable_or_obsolete()
        if self.connection is not None and (used_without_error or self.health_check_done):
            self._known_good_until = time.monotonic() + HEALTH_CHECK_BYPASS_SECONDS
        self.health_check_done = False  # so the next call, at a request's start however much later, renews nothing

    def close_if_health_check_failed(self) -> None:
        if self.connection is not None and not self.health_check_done and time.monotonic() < self._known_good_until:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if self.settings_dict["OPTIONS"].get("server_side_binding") is True:
            params["cursor_factory"] = ServerBindingCursor
        return params
