"""Editing creates a draft; publishing makes it current; old versions stay readable; every step is audited."""

from __future__ import annotations

import pytest

from tongban.catalog import bundles_demo, services
from tongban.catalog.models import CatalogChange, Item, ItemVersion
from tongban.catalog.public import item_info
from tongban.catalog.tests.factories import ItemVersionFactory, MaterialFactory
from tongban.common.public import Conflict, DomainError
from tongban.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    version = ItemVersionFactory(published=True, name="社会保障卡申领")
    MaterialFactory(version=version, position=1, name="居民身份证")
    MaterialFactory(version=version, position=2, name="免冠照片")
    return version


def test_draft_copies_the_current_version_and_publishing_makes_it_current(published):
    editor = UserFactory(staff=True)
    item = published.item
    draft = services.item_draft_create(item=item, actor=editor)
    assert (draft.number, draft.status) == (2, ItemVersion.Status.DRAFT)
    assert [m.name for m in draft.materials.all()] == ["居民身份证", "免冠照片"]
    assert services.item_draft_create(item=item, actor=editor) == draft  # one open draft at a time
    draft.promised_limit_text = "3(工作日)"
    draft.save()
    services.version_edited(version=draft, actor=editor, fields=["promised_limit_text"])
    draft.refresh_from_db()
    assert draft.promised_limit_days == 3
    # Until published, the guide still shows version 1.
    assert item_info(code=item.code).version_number == 1

    services.item_version_publish(version=draft, actor=editor)
    item.refresh_from_db()
    assert item.current_version == draft
    assert item_info(code=item.code).promised_limit_days == 3
    old = item_info(code=item.code, version=1)
    assert (old.version_number, old.promised_limit_days) == (1, 5)
    published.refresh_from_db()
    assert published.status == ItemVersion.Status.SUPERSEDED
    actions = list(CatalogChange.objects.filter(item_code=item.code).order_by("id").values_list("action", "actor"))
    assert actions == [("draft_created", editor.pk), ("draft_edited", editor.pk), ("version_published", editor.pk)]


def test_only_drafts_are_edited_or_published(published):
    with pytest.raises(Conflict):
        services.item_version_publish(version=published, actor=None)
    with pytest.raises(Conflict):
        services.version_edited(version=published, actor=None, fields=["name"])
    assert not CatalogChange.objects.exists()


def test_a_draft_with_an_unreadable_time_limit_is_refused(published):
    draft = services.item_draft_create(item=published.item, actor=None)
    draft.statutory_limit_text = "尽快"
    draft.save()
    with pytest.raises(DomainError) as error:
        services.version_edited(version=draft, actor=None, fields=["statutory_limit_text"])
    assert error.value.code == "bad_time_limit"


def test_demo_bundles_load_idempotently_with_their_saving():
    bundles_demo.load()
    bundles_demo.load()
    assert Item.objects.filter(is_demo=True).count() == 15
    assert ItemVersion.objects.count() == 15
    from tongban.catalog import selectors

    saving = selectors.bundle_saving(selectors.bundle_get(slug="xinshenger-chusheng"))
    assert (saving.materials_before, saving.materials_after) == (12, 6)
    assert (saving.days_before, saving.days_after) == (8, 7)
    assert saving.shared_materials == ["出生医学证明", "居民户口簿", "父母居民身份证", "结婚证"]
    assert {b.name for b in selectors.bundles()} == {"开饭店", "新生儿出生", "退休", "企业开办"}
