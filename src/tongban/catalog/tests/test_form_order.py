"""An item form keeps its author's field order through storage: PostgreSQL's jsonb sorts object keys, so the
catalog records the order as the array ``x-order`` when a record is read."""

from dataclasses import replace

import pytest

from tongban.catalog import bundles_demo, services
from tongban.catalog.public import item_info
from tongban.common.public import formschema

pytestmark = pytest.mark.django_db


def test_a_stored_form_keeps_its_authors_field_order():
    author = {"properties": {"zeta": {}, "alpha": {}, "mid": {}}, "required": []}
    record = replace(bundles_demo._record(bundles_demo.DEMO_ITEMS[0]), form_schema=author)  # read as a record
    services.items_load(records=[record], actor=None)
    stored = item_info(code=record.code).form_schema
    assert list(formschema.properties(stored)) == ["zeta", "alpha", "mid"]  # not jsonb's "mid", "zeta", "alpha"


def test_the_order_comes_from_x_order_then_required_then_the_rest():
    schema = {
        "properties": {"b": {}, "c": {}, "a": {}, "d": {}},
        "required": ["c", "a"],
        "x-order": ["d"],
    }
    assert list(formschema.properties(schema)) == ["d", "c", "a", "b"]
    assert formschema.with_order({"properties": {"z": {}, "y": {}}})["x-order"] == ["z", "y"]
    assert formschema.with_order({"properties": {"z": {}}, "x-order": ["z"]}) == {
        "properties": {"z": {}},
        "x-order": ["z"],
    }
