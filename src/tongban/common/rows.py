"""Reading a queryset's values as plain dicts for the hottest JSON lists.

``QuerySet.values()`` builds each row through a generic iterator that, for a page of 50 cases, cost more than
the database took to answer. :func:`value_rows` runs the same compiled query (the ORM still composes it, so
filters and scoping stay in one place) on a cursor and applies only the converters the backend declares —
none at all for these columns on PostgreSQL; SQLite's dates and booleans on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet
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
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    return [dict(zip(names, row, strict=True)) for row in rows]


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
