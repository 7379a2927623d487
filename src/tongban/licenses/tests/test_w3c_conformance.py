"""Every W3C VC Data Model 2.0 test input: ``-ok`` accepted, ``-fail`` (and ``-fail-or-inject``) rejected."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from tongban.licenses.vc import validate

FOLDER = Path(settings.SHARED_DATA_DIR) / "conformance" / "w3c-vcdm2-test-inputs"
FILES = sorted(p for p in FOLDER.rglob("*.json") if p.stem.endswith(("-ok", "-fail", "-fail-or-inject")))
UNLABELLED = sorted(p.name for p in FOLDER.rglob("*.json") if p not in FILES)


def _load(path: Path) -> object:
    """The suite's date placeholders are filled in as its runner does (a year before and after now)."""
    text = path.read_text(encoding="utf-8")
    now = datetime.now(UTC)
    text = text.replace("PAST DATE", (now - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    text = text.replace("FUTURE DATE", (now + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return json.loads(text)


def test_the_inputs_are_there() -> None:
    assert len(FILES) >= 100
    # Three self-asserted presentation inputs carry no -ok/-fail label (their outcome depends on a proof).
    assert UNLABELLED == [
        "presentation-self-asserted-vc-holder-mismatch.json",
        "presentation-self-asserted-vc-issuer-mismatch.json",
        "presentation-self-asserted-vc-no-holder.json",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_input_behaves_as_named(path: Path) -> None:
    problems = validate(_load(path))
    if path.stem.endswith("-ok"):
        assert problems == [], problems
    else:
        assert problems, "accepted, but the file name says it must be rejected"
