"""Reading a queryset's values as plain dicts for the hottest JSON lists.

``QuerySet.values()`` builds each row through a generic iterator that, for a page of 50 cases, cost more than
the database took to answer. :func:`value_rows` runs the same compiled query (the ORM still composes it, so
filters and scoping stay in one place) on a cursor and applies only the converters the backend declares —
none at all for these columns on PostgreSQL; SQLite's dates and booleans on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import QuerySet


def value_rows(queryset: QuerySet[Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
    """``list(queryset.values(*names))``, read more cheaply."""
    compiler = queryset.values(*names).query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    if not sql:  # an empty IN () or similar: the ORM knows no row can match
        return []
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    return [dict(zip(names, row, strict=True)) for row in rows]
