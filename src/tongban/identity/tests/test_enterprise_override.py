"""An administrator accepts a credit code really issued before GB 32100 that fails its checksum, on a page with
the reason required; the acceptance is recorded on the enterprise, as an identity event and in the audit chain."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from tongban.common.models import AuditEvent
from tongban.identity.models import Enterprise, IdentityEvent
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "identity:enterprise_override"
REASON = "2015 年厦门试点赋码，已核验营业执照原件"


def _pilot_codes() -> list[str]:
    path = Path(settings.SHARED_DATA_DIR) / "conformance" / "cn_uscc_vectors.csv"
    with path.open(encoding="utf-8") as rows:
        return [r["value"] for r in csv.DictReader(rows) if r["expected"] == "invalid_checksum_but_real"]


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(StaffAssignmentFactory(administrator=True).user)
    session = client.session
    session["identity_second_factor"] = "done"
    session.save()
    return client


@pytest.fixture
def representative():
    return PersonFactory(l2=True, phone="13700001234")


def _form(code, **extra):
    return {"credit_code": code, "name": "厦门试点企业", "representative": "13700001234", "reason": REASON, **extra}


def test_an_administrator_accepts_a_pre_standard_code_with_the_reason_recorded(admin_client, representative):
    code = _pilot_codes()[0]
    response = admin_client.post(reverse(URL), _form(code), follow=True)
    assert response.status_code == 200
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.legal_representative == representative.user
    assert enterprise.checksum_override_reason == REASON and enterprise.checksum_override_by is not None
    page = response.content.decode()
    assert gettext("The enterprise has been registered; the reason is recorded.") in page
    assert code in page and REASON in page  # listed among the accepted codes
    audit = AuditEvent.objects.get(action="identity.enterprise_checksum_override")
    assert audit.object_id == str(enterprise.pk) and (audit.after or {}).get("reason") == REASON
    assert IdentityEvent.objects.filter(action="enterprise_registered", subject_enterprise=enterprise).exists()


def test_every_pilot_code_of_the_conformance_set_is_accepted_only_with_a_reason(admin_client, representative):
    for code in _pilot_codes():
        missing = admin_client.post(reverse(URL), _form(code, reason=""))
        assert missing.status_code == 200 and not Enterprise.objects.filter(credit_code=code).exists()
        assert "field--error" in missing.content.decode()
        admin_client.post(reverse(URL), _form(code, name=f"试点 {code}"))
        assert Enterprise.objects.get(credit_code=code).checksum_override_reason == REASON
    assert AuditEvent.objects.filter(action="identity.enterprise_checksum_override").count() == len(_pilot_codes())


def test_a_code_that_passes_the_checksum_needs_no_exception(admin_client, representative):
    response = admin_client.post(reverse(URL), _form("91110000600037341L"))
    assert gettext("This credit code passes the GB 32100 checksum: no exception is needed, so none is recorded.") in (
        response.content.decode()
    )
    assert not Enterprise.objects.exists()


def test_an_unknown_representative_is_named_next_to_the_field(admin_client):
    response = admin_client.post(reverse(URL), _form(_pilot_codes()[0]))
    assert gettext("No registered person has this mobile phone or ID number.") in response.content.decode()
    assert not Enterprise.objects.exists()


def test_only_administrators_see_the_page(representative):
    for user in (representative.user, UserFactory(staff=True), StaffAssignmentFactory().user):
        client = Client()
        client.force_login(user)
        session = client.session
        session["identity_second_factor"] = "done"
        session.save()
        assert client.get(reverse(URL)).status_code == 404
        assert client.post(reverse(URL), _form(_pilot_codes()[0])).status_code == 404
    assert not Enterprise.objects.exists() and not AuditEvent.objects.exists()
