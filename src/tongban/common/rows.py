"""Reading a queryset's values as plain dicts for the hottest JSON lists, and writing the rows of every
submission and action with INSERTs composed once.

``QuerySet.values()`` builds each row through a generic iterator that, for a page of 50 cases, cost more than
the database took to answer. :func:`value_rows` runs the same compiled query (the ORM still composes it, so
filters and scoping stay in one place) on a cursor and applies only the converters the backend declares —
none at all for these columns on PostgreSQL; SQLite's dates and booleans on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler


def value_rows(queryset: QuerySet[Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
    """``list(queryset.values(*names))``, read more cheaply."""
    compiler = queryset.values(*names).query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # an empty IN () or similar: the ORM knows no row can match
        return []
    return _read(queryset.db, compiler, sql, list(params), names)


def _read(
    alias: str, compiler: SQLCompiler, sql: str, params: list[Any], names: tuple[str, ...]
) -> list[dict[str, Any]]:
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    cursor = kept_cursor(alias)
    cursor.execute(sql, params)
    rows = cursor.fetchall()
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    return [dict(zip(names, row, strict=True)) for row in rows]


# --- One cursor for the statements of a request ------------------------------------------------------------------
_KEPT = "_tongban_kept_cursor"


def kept_cursor(alias: str = "default") -> CursorWrapper:
    """A cursor for one statement whose rows are fetched at once: the one kept on this thread's connection
    since an earlier statement of the same request, where that is safe, else a new one (then kept).

    Opening a cursor cost the server about 25 µs (Django's wrappers and psycopg's cursor with its own copy of
    the adapters): on a submission, a dozen times. A kept cursor is reused only on the very connection it was
    opened on, after a cursor opened by Django in this request has done the connection's health check
    (``health_check_done``, which Django clears when a request starts and ends), and never while queries are
    being logged (``DEBUG``, or a test capturing queries), which takes Django's own cursor. Do not close it."""
    connection = connections[alias]
    kept: CursorWrapper | None = getattr(connection, _KEPT, None)
    if (
        kept is not None
        and getattr(connection, "health_check_done", False)  # set by Django (not in its stubs)
        and not connection.queries_logged
        and connection.connection is not None
        and kept.cursor.connection is connection.connection
        and not getattr(kept.cursor, "closed", False)  # psycopg's; SQLite's cursor has none
    ):
        return kept
    cursor = connection.cursor()
    setattr(connection, _KEPT, None if connection.queries_logged else cursor)
    return cursor


# --- One composed statement per query shape -------------------------------------------------------------------
@dataclass(frozen=True)
class _Statement:
    alias: str
    sql: str
    params: tuple[Any, ...]  # constants, and the names of slots (as _Slot) to fill per call
    compiler: SQLCompiler


@dataclass(frozen=True)
class _Slot:
    name: str


_statements: dict[Hashable, _Statement | None] = {}


def shaped_value_rows(
    shape: Hashable,
    build: Callable[[Mapping[str, Any]], QuerySet[Any]],
    values: Mapping[str, int | str],
    names: tuple[str, ...],
) -> list[dict[str, Any]]:
    """:func:`value_rows` of ``build(values)``, composing the SQL only once per ``shape``.

    Composing a filtered, ordered query cost the ORM more time than the database took to run it. ``build`` is
    called once per shape with a stand-in for every value; where each stand-in lands among the query's
    parameters is recorded, and later calls put their own values there. ``shape`` must name everything that
    changes the SQL text (which filters are present, how many ids, limit and offset); a stand-in that does not
    come out as exactly one parameter makes the shape uncacheable, and it is then composed on every call."""
    if shape not in _statements:
        _statements[shape] = _compose(build, values, names)
    statement = _statements[shape]
    if statement is None:
        return value_rows(build(values), names)
    params = [values[p.name] if isinstance(p, _Slot) else p for p in statement.params]
    return _read(statement.alias, statement.compiler, statement.sql, params, names)


def _compose(
    build: Callable[[Mapping[str, Any]], QuerySet[Any]], values: Mapping[str, int | str], names: tuple[str, ...]
) -> _Statement | None:
    stand_ins: dict[str, int | str] = {}
    for number, (name, value) in enumerate(values.items(), start=1):
        # Positive and small enough for any integer column: the ORM composes "no row can match" for an integer
        # a column cannot hold. A constant of the query equal to a stand-in shows up as a second slot of that
        # name, and the shape is then not cached (the check below).
        stand_ins[name] = 32_000 + number if isinstance(value, int) else f"\x00{name}\x00"
    queryset = build(stand_ins).values(*names)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return None
    by_value = {value: name for name, value in stand_ins.items()}
    template = tuple(_Slot(by_value[p]) if isinstance(p, int | str) and p in by_value else p for p in params)
    slots = [p.name for p in template if isinstance(p, _Slot)]
    if not sql or sorted(slots) != sorted(stand_ins):
        return None
    return _Statement(queryset.db, sql, template, compiler)


# --- One composed INSERT per model and row count --------------------------------------------------------------
@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    pk_attname: str


_inserts: dict[tuple[type[Model], int, str], _Insert | None] = {}


def insert_rows(objs: Sequence[Model], *, using: str = "default") -> None:
    """``bulk_create(objs)`` (all of one model) for the rows written on every submission and action: each ``pk``
    is set from the database's RETURNING, and no signals are sent, as with bulk_create.

    Composing an INSERT cost the ORM several times what running it did. The statement is composed once per
    model, backend and number of rows; each call only prepares its values the way the ORM does
    (``pre_save`` — so ``auto_now`` fields are stamped — then ``get_db_prep_save``). Rows with a preset
    primary key, a field needing its own placeholder, or an expression among the values go through
    ``bulk_create`` itself."""
    if not objs:
        return
    model = type(objs[0])
    key = (model, len(objs), using)
    if key not in _inserts:
        _inserts[key] = _compose_insert(model, len(objs), using)
    statement = _inserts[key]
    params = _insert_params(statement, objs, using) if statement is not None else None
    if statement is None or params is None:
        model._default_manager.using(using).bulk_create(objs)
        return
    cursor = kept_cursor(using)
    cursor.execute(statement.sql, params)
    returned = cursor.fetchall()  # the RETURNING rows, in the order of VALUES (PostgreSQL and SQLite)
    for obj, row in zip(objs, returned, strict=True):
        setattr(obj, statement.pk_attname, row[0])
        obj._state.adding, obj._state.db = False, using


def _insert_params(statement: _Insert, objs: Sequence[Model], using: str) -> list[Any] | None:
    """The values of every row, prepared as the ORM prepares them; None where only bulk_create can write them."""
    connection = connections[using]
    params: list[Any] = []
    for obj in objs:
        if obj.pk is not None:
            return None
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]  # a parent saved after assignment
        values = [field.pre_save(obj, True) for field in statement.fields]
        if any(hasattr(value, "resolve_expression") for value in values):
            return None
        params += [
            field.get_db_prep_save(value, connection) for field, value in zip(statement.fields, values, strict=True)
        ]
    return params


def _compose_insert(model: type[Model], count: int, using: str) -> _Insert | None:
    connection = connections[using]
    opts, pk = model._meta, model._meta.pk
    if pk is None or not getattr(pk, "db_returning", False) or not connection.features.can_return_rows_from_bulk_insert:
        return None
    fields = tuple(f for f in opts.concrete_fields if f is not pk and not getattr(f, "generated", False))
    if any(hasattr(f, "get_placeholder") for f in fields):
        return None
    quote = connection.ops.quote_name
    row = ", ".join(["%s"] * len(fields))
    returning, _params = connection.ops.return_insert_columns([pk])
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join([f"({row})"] * count)
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES {values} {returning}"  # noqa: S608  # our names
    return _Insert(sql, fields, pk.attname)
