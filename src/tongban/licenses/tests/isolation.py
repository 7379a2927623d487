"""A fixed signing key and a private cache folder for tests of any context that issues or verifies licenses,
with the in-process key and status-list caches cleared before and after (the database is rolled back between
tests; these caches are not)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.test import override_settings

from tongban.licenses import keys, resolvers

TEST_KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 test 1 secret key

# The fields of a simple business license: what a case's form must answer for it to be issued.
BUSINESS_LICENSE_FIELDS = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {
        "name": {"type": "string", "title": "经营者名称"},
        "address": {"type": "string", "title": "经营场所"},
    },
}


def _forget() -> None:
    keys.forget_cached_key()
    keys._DB_KEYS.clear()
    resolvers._BITS.clear()


@contextmanager
def isolated_license_keys(folder: Path, *, site_url: str = "https://zwfw.example.gov.cn") -> Iterator[None]:
    with override_settings(LICENSE_SIGNING_KEY=TEST_KEY, LICENSE_CACHE_DIR=folder / "license-cache", SITE_URL=site_url):
        _forget()
        try:
            yield
        finally:
            _forget()
