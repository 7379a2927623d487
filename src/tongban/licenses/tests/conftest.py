from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tongban.licenses.tests.isolation import TEST_KEY, isolated_license_keys

__all__ = ["TEST_KEY"]


@pytest.fixture(autouse=True)
def license_settings(tmp_path: Path) -> Iterator[None]:
    """A fixed signing key, a private cache folder, and no key or status bits left over from other tests."""
    with isolated_license_keys(tmp_path):
        yield
