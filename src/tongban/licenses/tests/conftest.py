from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from tongban.licenses import keys, resolvers

TEST_KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 test 1 secret key


@pytest.fixture(autouse=True)
def license_settings(tmp_path: Path) -> Iterator[None]:
    """A fixed signing key, a private cache folder, and no key or status bits left over from other tests."""
    with override_settings(
        LICENSE_SIGNING_KEY=TEST_KEY,
        LICENSE_CACHE_DIR=tmp_path / "license-cache",
        SITE_URL="https://zwfw.example.gov.cn",
    ):
        keys.forget_cached_key()
        keys._DB_KEYS.clear()
        resolvers._BITS.clear()
        yield
    keys.forget_cached_key()
    keys._DB_KEYS.clear()
    resolvers._BITS.clear()
