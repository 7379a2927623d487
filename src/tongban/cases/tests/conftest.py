"""Fixtures shared by the cases tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tongban.licenses.tests.isolation import isolated_license_keys


@pytest.fixture
def license_keys(tmp_path: Path) -> Iterator[None]:
    """A fixed license signing key and fresh key/status caches: for tests whose cases issue or verify licenses."""
    with isolated_license_keys(tmp_path):
        yield
