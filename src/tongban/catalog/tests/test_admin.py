"""Catalog editors in the admin: drafts only are editable, publishing is an action, all of it audited."""

from __future__ import annotations

import pytest

from tongban.catalog.models import CatalogChange, ItemVersion
from tongban.catalog.tests.factories import ItemVersionFactory
from tongban.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_editor_creates_edits_and_publishes_a_draft_in_the_admin(client):
    admin = UserFactory(administrator=True)
    client.force_login(admin)
    version = ItemVersionFactory(published=True, name="旧名称")
    item = version.item
    # Published versions are read-only.
    page = client.get(f"/admin/catalog/itemversion/{version.pk}/change/")
    assert page.status_code == 200
    assert b'name="name"' not in page.content
    client.post("/admin/catalog/item/", {"action": "create_draft", "_selected_action": [item.pk]})
    draft = item.versions.get(status=ItemVersion.Status.DRAFT)
    form = client.get(f"/admin/catalog/itemversion/{draft.pk}/change/")
    assert b'name="name"' in form.content
    client.post(
        "/admin/catalog/itemversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == ItemVersion.Status.PUBLISHED
    assert list(CatalogChange.objects.order_by("id").values_list("action", "actor")) == [
        ("draft_created", admin.pk),
        ("version_published", admin.pk),
    ]
    # The audit itself cannot be edited or deleted.
    change = CatalogChange.objects.first()
    assert change is not None
    assert client.post(f"/admin/catalog/catalogchange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
