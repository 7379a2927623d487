"""One SearchBackend interface, two implementations: SQLite FTS5 (embedded mode) and PostgreSQL tsvector + GIN.

Both index the same pre-segmented tokens and answer the same question — which documents contain any of these
tokens — so candidate sets are identical; ranking happens once, in Python (:mod:`tongban.assistant.ranking`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from django.db import connection


class SearchBackend(ABC):
    vendor: str

    @abstractmethod
    def index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """(document id, title tokens, body tokens) — replaces what is indexed for these ids."""

    @abstractmethod
    def remove(self, ids: list[int]) -> None: ...

    @abstractmethod
    def match(self, terms: list[str]) -> set[int]:
        """Ids of documents containing any of ``terms`` (tokens of :func:`text.tokens`)."""

    @abstractmethod
    def clear(self) -> None: ...


class Fts5Backend(SearchBackend):
    vendor = "sqlite"

    def index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        rows = list(rows)
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM assistant_fts WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany("INSERT INTO assistant_fts (rowid, title, body) VALUES (%s, %s, %s)", rows)

    def remove(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM assistant_fts WHERE rowid = %s", [(i,) for i in ids])

    def match(self, terms: list[str]) -> set[int]:
        if not terms:
            return set()
        expression = " OR ".join(f'"{term}"' for term in terms)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM assistant_fts WHERE assistant_fts MATCH %s", [expression])
            return {row[0] for row in cursor.fetchall()}

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM assistant_fts")


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE assistant_searchdocument SET vector = "
                "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') "
                "WHERE id = %s",
                [(title, body, pk) for pk, title, body in rows],
            )

    def remove(self, ids: list[int]) -> None:
        """Rows carry their own vector; deleting the row removes it."""

    def match(self, terms: list[str]) -> set[int]:
        if not terms:
            return set()
        expression = " | ".join(f"'{term}'" for term in terms)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM assistant_searchdocument WHERE vector @@ to_tsquery('simple', %s)", [expression]
            )
            return {row[0] for row in cursor.fetchall()}

    def clear(self) -> None:
        """Rows carry their own vector."""


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return Fts5Backend()
    raise RuntimeError(f"no search backend for {connection.vendor}")
