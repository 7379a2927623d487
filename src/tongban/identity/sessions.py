"""The session engine (``SESSION_ENGINE = "tongban.identity.sessions"``): Django's database sessions, stored in
:class:`SignInSession`, whose ``user`` column lets the session and its user be read with one query.

Every signed-in request used to read the session row, then the user row. Here the session is read joined to its
user; the user travels to :meth:`~tongban.identity.backends.PasswordBackend.get_user` in a context variable that
each session load overwrites, and Django's own ``get_user`` still checks the session's user id, backend and
password hash against it, so nothing about who is signed in is decided here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.utils import timezone

from tongban.common.public import ProcessMemory, kept_cursor
from tongban.identity.models import SignInSession, User

# (session key, its user) read by the last session load in this thread; None when that load found no user.
loaded_user: ContextVar[tuple[str, User] | None] = ContextVar("loaded_user", default=None)


# Stored session text → its data (as JSON), for each text whose signature this process has verified.
_verified_sessions: ProcessMemory[bytes | str, str] = ProcessMemory(limit=4096)


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[SignInSession]:
        return SignInSession

    def _get_session_from_db(self) -> SignInSession | None:
        loaded_user.set(None)
        row, key = None, self.session_key
        if key:
            sql, user_columns = _session_query()
            cursor = kept_cursor()
            cursor.execute(sql, [key, timezone.now()])
            row = cursor.fetchone()
        if row is None or not key:
            self._session_key = None
            return None
        session = SignInSession(session_key=key, session_data=row[0])
        if row[1] is not None:
            values = [convert(value) for convert, value in zip(user_columns, row[1:], strict=True)]
            user = User.from_db(connection.alias, [f.attname for f in User._meta.concrete_fields], values)
            loaded_user.set((key, user))
        return session

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        """The session's data. Verifying the stored text's signature cost every signed-in request about 0.1 ms,
        so this process remembers the data of each text it has verified: the same text always holds the same
        data, and what is remembered is JSON, read into a new dict each time (the request may change it)."""
        known = _verified_sessions.get(session_data)
        if known is not None:
            loaded: dict[str, Any] = json.loads(known)
            return loaded
        data: dict[str, Any] = super().decode(session_data)
        if data:  # a bad signature or unreadable text decodes to {} and is checked (and logged) each time
            _verified_sessions.remember(session_data, json.dumps(data))
        return data

    def create_model_instance(self, data: dict[str, Any]) -> SignInSession:
        row = super().create_model_instance(data)
        assert isinstance(row, SignInSession)  # noqa: S101  # get_model_class above
        user_id = data.get(SESSION_KEY)
        row.user_id = int(user_id) if user_id is not None else None
        return row


def forget_loaded_user(**_kwargs: Any) -> None:
    loaded_user.set(None)


def user_loaded_with_session(user_id: Any) -> User | None:
    """The user read together with this thread's current session, if it is ``user_id``."""
    loaded = loaded_user.get()
    if loaded is None or str(loaded[1].pk) != str(user_id):
        return None
    return loaded[1]


@cache
def _session_query() -> tuple[str, list[Callable[[Any], Any]]]:
    """The session row and its user's columns in one statement, written once per process: the ORM spent more
    time composing this query (a join over a dozen columns) than the database spent answering it, on every
    request. The user's values go through the same converters the ORM applies to them."""
    quote = connection.ops.quote_name
    fields = User._meta.concrete_fields
    columns = ", ".join(f"u.{quote(f.column)}" for f in fields)
    sql = (
        f"SELECT s.{quote('session_data')}, {columns} "  # noqa: S608  # our own table and column names
        f"FROM {quote(SignInSession._meta.db_table)} s "
        f"LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = s.{quote('user_id')} "
        f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
    )
    return sql, [_converter(field) for field in fields]


def _converter(field: Any) -> Callable[[Any], Any]:
    expression = field.get_col("u")
    steps = [*connection.ops.get_db_converters(expression), *expression.get_db_converters(connection)]

    def convert(value: Any) -> Any:
        for step in steps:
            value = step(value, expression, connection)
        return value

    return convert
