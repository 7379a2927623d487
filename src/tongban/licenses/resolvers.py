"""Key and status resolvers for the web process: our own keys and lists, read from the database.

Public keys never change, so they are cached per process. Status bits are cached per process by list version:
one verification costs one small query (the versions of all lists), and bits are read again only after a
change.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection

from tongban.licenses.keys import database_public_key
from tongban.licenses.models import StatusList

_BITS: dict[tuple[str, int], tuple[int, bytes]] = {}


def database_keys(verification_method: str) -> tuple[str, bytes] | None:
    return database_public_key(verification_method)


def _versions() -> dict[tuple[str, int], int]:
    table = connection.ops.quote_name(StatusList._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT purpose, list_no, version FROM {table}")  # noqa: S608  # our own table name
        return {(purpose, int(list_no)): int(version) for purpose, list_no, version in cursor.fetchall()}


def database_status() -> Callable[[str], bytes | None]:
    """A status resolver for one verification: reads the list versions once, bits only when they changed."""
    versions: dict[tuple[str, int], int] | None = None
    prefix = f"{settings.SITE_URL}/licenses/status/"

    def resolve(url: str) -> bytes | None:
        nonlocal versions
        if not url.startswith(prefix):
            return None
        purpose, _, number = url[len(prefix) :].partition("/")
        if not number.isdigit():
            return None
        key = (purpose, int(number))
        if versions is None:
            versions = _versions()
        version = versions.get(key)
        if version is None:
            return None
        cached = _BITS.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        row = StatusList.objects.filter(purpose=purpose, list_no=key[1]).values_list("version", "bits").first()
        if row is None:
            return None
        _BITS[key] = (row[0], bytes(row[1]))
        return bytes(row[1])

    return resolve
