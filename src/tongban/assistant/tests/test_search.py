"""The search assistant over a small catalog: segmentation, synonyms, bundles, the page, the API and the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tongban.assistant import services
from tongban.assistant.backends import get_backend
from tongban.assistant.models import SearchDocument, Synonym
from tongban.assistant.public import search
from tongban.catalog import bundles_demo
from tongban.catalog import services as catalog_services
from tongban.catalog.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    bundles_demo.load()
    services.invalidate()


def test_every_published_item_is_indexed_in_the_database_backend(demo):
    assert SearchDocument.objects.count() == 15
    ids = get_backend().match(["营业执照"])
    docs = SearchDocument.objects.all()
    expected = {d.id for d in docs if "营业执照" in d.title_tokens.split() + d.body_tokens.split()}
    assert ids == expected
    assert len(expected) == 7


def test_a_life_event_question_answers_with_items_and_the_bundle(demo):
    answer = search(question="我想开饭店", limit=3, with_guides=True)
    assert answer.bundle is not None and answer.bundle.slug == "kai-fandian"
    top = answer.hits[0]
    assert top.code == "DEMO-SC-0002"
    assert "食品经营许可" in top.matched  # the why: matched through the synonym 开饭店 → 食品经营许可
    assert answer.guides["DEMO-SC-0002"].promised_limit_days == 10
    assert [h.score for h in answer.hits] == sorted((h.score for h in answer.hits), reverse=True)


def test_colloquial_words_reach_catalogue_words_through_the_editable_synonym_table(demo):
    assert "DEMO-SC-0101" not in [hit.code for hit in search(question="领娃证", limit=5).hits]
    Synonym.objects.create(term="娃证", expansions="出生医学证明")
    services.invalidate()
    assert search(question="领娃证", limit=5).hits[0].code == "DEMO-SC-0101"


def test_publishing_a_new_version_reindexes_the_item(demo):
    item = Item.objects.get(code="DEMO-SC-0302")
    draft = catalog_services.item_draft_create(item=item, actor=None)
    draft.name = "印章刻制备案"
    draft.save()
    catalog_services.item_version_publish(version=draft, actor=None)
    assert search(question="印章", limit=1).hits[0].code == "DEMO-SC-0302"


def test_nothing_matches_nonsense(demo):
    answer = search(question="？？？", limit=5)
    assert (answer.hits, answer.bundle) == ([], None)


def test_search_page_renders_and_htmx_gets_only_the_results(client, demo):
    page = client.get("/search/", {"q": "社保卡"})
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert "社会保障卡申领（新生儿）" in page.content.decode()
    partial = client.get("/search/", {"q": "社保卡"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "社会保障卡申领（新生儿）" in partial.content.decode()
    assert client.get("/search/").status_code == 200


def test_api_answers_with_guide_summaries(client, demo):
    data = client.get("/api/v1/search", {"q": "生孩子要办什么", "limit": 2}).json()
    assert data["bundle"]["slug"] == "xinshenger-chusheng"
    assert len(data["results"]) == 2
    first = data["results"][0]
    assert set(first) == {"code", "name", "department", "score", "matched", "time_limit", "online_depth",
                          "materials", "place"}  # fmt: skip
    assert first["materials"]
    assert client.get("/api/v1/search", {"q": ""}).status_code == 422


def test_cli_json_output(demo, capsys):
    call_command("search", "开公司", "--limit", "2", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [row["code"] for row in rows][:1] == ["DEMO-SC-0301"]
    assert set(rows[0]) == {"code", "name", "department", "score"}
