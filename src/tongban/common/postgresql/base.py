"""Django's PostgreSQL backend with server-side parameter binding and prepared statements (ADR 0009).

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


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if self.settings_dict["OPTIONS"].get("server_side_binding") is True:
            params["cursor_factory"] = ServerBindingCursor
        return params
