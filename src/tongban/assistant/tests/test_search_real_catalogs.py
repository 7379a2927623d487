"""The search assistant over both real catalogs: the evaluation set as a floor, and the CLI."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import call_command

from tongban.assistant.public import search
from tongban.catalog.tests.real_catalog import imported_real_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker):
    yield from imported_real_catalog(django_db_blocker)


def test_the_search_evaluation_set_over_the_real_catalogs(real_catalog):
    """The same figures `make bench` reports, as a floor (the benchmark measures latency too)."""
    lines = (settings.SOURCE_ROOT / "bench" / "search_eval.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line]
    assert len(questions) >= 80
    hit1 = hit5 = 0
    for q in questions:
        codes = [hit.code for hit in search(question=q["question"], limit=5).hits]
        hit1 += codes[0] in q["expected"]
        hit5 += bool(set(codes) & set(q["expected"]))
    assert hit1 / len(questions) >= 0.70
    assert hit5 / len(questions) >= 0.90


def test_cli_answers_with_code_name_department_and_score(real_catalog, capsys):
    call_command("search", "社保卡丢了怎么办", "--limit", "3", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3
    assert set(rows[0]) == {"code", "name", "department", "score"}
    assert rows[0]["name"] == "社会保障卡挂失"
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
