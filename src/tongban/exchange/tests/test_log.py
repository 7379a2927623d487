"""The exchange log is partition-ready and append-only by construction."""

from __future__ import annotations

import pytest
from django.db import models

from tongban.exchange.models import ExchangeCall
from tongban.exchange.subjects import UserSubjectResolver
from tongban.exchange.tests.factories import ExchangeCallFactory, UserFactory


def test_log_key_includes_the_time_and_no_foreign_key_blocks_partitioning():
    meta = ExchangeCall._meta
    assert isinstance(meta.pk, models.CompositePrimaryKey)
    assert [f.name for f in meta.pk.fields] == ["called_at", "id"]
    assert not [f.name for f in meta.get_fields() if f.is_relation]
    indexed = [tuple(index.fields) for index in meta.indexes]
    assert ("region_code", "called_at") in indexed and ("called_at",) in indexed
    assert all(fields[-1] == "called_at" for fields in indexed)  # every read is by time


@pytest.mark.django_db
def test_log_rows_hold_keys_not_personal_data():
    user = UserFactory(username="citizen", first_name="张三")
    subject = UserSubjectResolver().person(user)
    call = ExchangeCallFactory(subject_key=subject.log_key)
    stored = ExchangeCall.objects.values().get(id=call.id)
    assert stored["subject_key"] == f"u:{user.public_id}"
    assert "张三" not in str(stored) and "citizen" not in str(stored)


def test_enterprise_subjects_are_keyed_by_credit_code():
    subject = UserSubjectResolver().enterprise(" 91440106ma5dem001m ")
    assert (subject.kind, subject.log_key, subject.provider_ref) == (
        "enterprise", "e:91440106MA5DEM001M", "91440106MA5DEM001M"
    )  # fmt: skip
