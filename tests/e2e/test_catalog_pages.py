"""Guide, bundle and search pages: a citizen finds a service in their own words; every page passes axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import axe_violations
from tongban.assistant.seed import seed_synonyms
from tongban.catalog import bundles_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TONGBAN_SCREENSHOTS")  # a folder: save a screenshot of every page visited


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def demo_catalog(db):
    seed_synonyms()  # transactional tests flush the rows migrations seeded
    bundles_demo.load()  # 15 demo items with full guides and the four bundles, indexed for search


def test_browse_guides_to_an_item_and_print_it(page, demo_catalog):
    page.goto("/services/")
    assert page.locator("main h1").inner_text().strip()  # (text is translated at the end; assert on data)
    assert axe_violations(page) == []
    shot(page, "guides-index")
    page.get_by_role("link", name="区行政审批局（演示）").click()
    page.wait_for_load_state()
    assert page.locator(".item-list > li").count() == 3
    assert axe_violations(page) == []
    page.get_by_role("link", name="食品经营许可核发（餐饮服务）").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "食品经营许可核发（餐饮服务）"
    assert page.locator(".materials tbody tr").count() == 6
    assert "10" in page.locator(".guide tr", has_text="10").first.inner_text()
    assert axe_violations(page) == []
    shot(page, "item")
    page.locator("a[href$='/print/']").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text().startswith("食品经营许可核发（餐饮服务）")
    assert axe_violations(page) == []
    shot(page, "item-print")


def test_bundle_page_shows_the_saving(page, demo_catalog):
    page.goto("/services/bundles/kai-fandian/")
    assert page.locator("main h1").inner_text() == "开饭店"
    saving = page.locator(".saving").inner_text()
    assert "18 → 10" in saving  # materials: separately vs handed in once
    assert "23 → 11" in saving  # days: one after another vs stages in parallel
    assert page.locator(".stage").count() == 2
    assert axe_violations(page) == []
    shot(page, "bundle")
    page.goto("/services/bundles/")
    assert page.locator(".card").count() == 4
    assert axe_violations(page) == []


def test_live_search_answers_while_typing(page, demo_catalog):
    page.goto("/search/")
    assert axe_violations(page) == []
    page.locator("#q").fill("我想开饭店")
    page.locator("#results .hit").first.wait_for()
    assert "开饭店" in page.locator("#results .panel").inner_text()
    assert page.locator("#results .hit h3").first.inner_text().startswith("食品经营许可核发")
    assert "q=" in page.url  # the live result is a shareable address
    assert axe_violations(page) == []
    shot(page, "search")
    page.goto("/")
    page.locator("#home-q").fill("生孩子")
    page.locator("#home-q").press("Enter")
    page.wait_for_load_state()
    assert "新生儿出生" in page.locator("#results").inner_text()
    assert axe_violations(page) == []
    shot(page, "home-search")
