"""Guide pages and the catalog API over the demo catalog."""

from __future__ import annotations

import pytest

from tongban.catalog import bundles_demo, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    bundles_demo.load()


def test_guide_index_lists_facets_and_filters(client, demo):
    page = client.get("/services/")
    assert page.status_code == 200
    assert "区行政审批局（演示）" in page.content.decode()
    filtered = client.get("/services/", {"department": "DEMO-511602-SPJ"})
    assert [i.code for i in filtered.context["page"].object_list] == ["DEMO-SC-0001", "DEMO-SC-0301", "DEMO-SC-0002"]
    by_object = client.get("/services/", {"object": "企业法人"})
    assert by_object.context["page"].paginator.count == 8
    by_theme = client.get("/services/", {"theme": "一件事"})
    assert by_theme.context["page"].paginator.count == 15


def test_item_page_print_page_and_old_versions(client, demo):
    page = client.get("/services/item/DEMO-SC-0002/")
    assert page.status_code == 200
    body = page.content.decode()
    for text in ("食品经营许可核发（餐饮服务）", "食品安全管理制度", "广安区政务服务中心（演示）"):
        assert text in body
    assert client.get("/services/item/DEMO-SC-0002/print/").status_code == 200
    assert client.get("/services/item/NOPE/").status_code == 404
    assert client.get("/services/item/DEMO-SC-0002/", {"version": "9"}).status_code == 404


def test_bundle_pages(client, demo):
    page = client.get("/services/bundles/kai-fandian/")
    assert page.status_code == 200
    assert page.context["saving"].materials_before == 18
    assert client.get("/services/bundles/").status_code == 200
    assert client.get("/services/bundles/nope/").status_code == 404


def test_api_lists_items_and_shows_a_guide_with_versions(client, demo):
    listing = client.get("/api/v1/catalog/items", {"department": "DEMO-511602-XF"}).json()
    assert listing == {
        "count": 1,
        "items": [
            {
                "code": "DEMO-SC-0003",
                "name": "公众聚集场所投入使用、营业前消防安全检查",
                "department": "区消防救援大队（演示）",
                "item_type": "other_power",
                "promised_limit_days": 7,
                "promised_limit_unit": "working",
                "online_depth": "once",
                "is_demo": True,
            }
        ],
    }
    guide = client.get("/api/v1/catalog/items/DEMO-SC-0003").json()
    assert (guide["version"], guide["statutory_limit_days"], guide["statutory_limit_text"]) == (1, 10, "10(工作日)")
    assert [m["name"] for m in guide["materials"]][:2] == ["居民身份证", "营业执照"]
    assert guide["source"] == {"demo": True, "stands_for": "511A0021300001-511602000000-000-11511300MB1A21304N-1-00"}
    versions = client.get("/api/v1/catalog/items/DEMO-SC-0003/versions").json()
    assert [v["number"] for v in versions] == [1]


def test_api_shows_an_old_version_after_publishing(client, demo):
    from tongban.catalog.models import Item

    item = Item.objects.get(code="DEMO-SC-0003")
    draft = services.item_draft_create(item=item, actor=None)
    draft.name = "营业前消防安全检查"
    draft.save()
    services.item_version_publish(version=draft, actor=None)
    assert client.get("/api/v1/catalog/items/DEMO-SC-0003").json()["name"] == "营业前消防安全检查"
    assert client.get("/api/v1/catalog/items/DEMO-SC-0003/versions/1").json()["name"].startswith("公众聚集场所")
    assert [v["status"] for v in client.get("/api/v1/catalog/items/DEMO-SC-0003/versions").json()] == [
        "published",
        "superseded",
    ]


def test_api_bundles_and_errors(client, demo):
    bundle = client.get("/api/v1/catalog/bundles/kai-fandian").json()
    assert bundle["saving"]["materials_before"] == 18
    assert bundle["saving"]["materials_after"] == 10
    assert [s["stage"] for s in bundle["steps"]] == [1, 2, 2, 2]
    assert len(client.get("/api/v1/catalog/bundles").json()) == 4
    missing = client.get("/api/v1/catalog/items/NOPE")
    assert missing.status_code == 404
    assert missing.json()["code"] == "item_not_found"
    assert missing.json()["message"] == "没有编码为 NOPE 的已发布事项。"  # a sentence, in the default language
    english = client.get("/api/v1/catalog/items/NOPE", headers={"Accept-Language": "en"})
    assert english.json()["message"] == "No published item has the code NOPE."
