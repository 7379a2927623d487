"""A citizen cannot read or change another citizen's account, authorisations or anything keyed to them;
an enterprise's agents are managed by its legal representative only. Every denial changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tongban.common.public import DomainError, PermissionDenied
from tongban.identity import services
from tongban.identity.models import Authorisation, Enterprise, EnterpriseAgent, IdentityEvent
from tongban.identity.selectors import person_view_for
from tongban.identity.tests.factories import (
    AuthorisationFactory,
    EnterpriseAgentFactory,
    EnterpriseFactory,
    PersonFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db
LATER = timezone.now() + datetime.timedelta(days=30)


@pytest.fixture
def alice():
    return PersonFactory(phone="13911110001").user


@pytest.fixture
def bob():
    return PersonFactory(phone="13911110002").user


def _snapshot():
    return (
        list(Authorisation.objects.values().order_by("pk")),
        list(EnterpriseAgent.objects.values().order_by("pk")),
        IdentityEvent.objects.count(),
    )


def test_a_citizen_cannot_see_another_citizens_person_data(alice, bob):
    own, unmasked = person_view_for(alice, alice.pk), person_view_for(alice, alice.pk, unmask=True)
    assert own is not None and own.masked  # own data, masked by default
    assert unmasked is not None and not unmasked.masked
    assert person_view_for(alice, bob.pk) is None
    clerk = StaffAssignmentFactory(clerk=True).user
    seen = person_view_for(clerk, bob.pk, unmask=True)
    assert seen is not None and seen.masked and "*" in seen.id_number  # a clerk sees it masked
    assert person_view_for(StaffAssignmentFactory().user, bob.pk) is None  # a handler does not


@pytest.mark.parametrize("method", ["get", "revoke"])
def test_api_refuses_another_citizens_authorisation(client, alice, bob, method):
    theirs = AuthorisationFactory(principal=bob)
    client.force_login(alice)
    before = _snapshot()
    if method == "get":
        response = client.get(f"/api/v1/identity/authorisations/{theirs.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    else:
        response = client.post(f"/api/v1/identity/authorisations/{theirs.pk}/revoke")
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert _snapshot() == before
    listing = client.get("/api/v1/identity/authorisations").json()
    assert theirs.pk not in [row["id"] for row in listing]


def test_api_me_is_only_me_and_masked(client, alice, bob):
    client.force_login(alice)
    body = client.get("/api/v1/identity/me").json()
    assert body["public_id"] == str(alice.public_id)
    assert body["phone_masked"] == "139****0001"
    assert client.get("/api/v1/identity/me/logins").status_code == 200
    client.logout()
    assert client.get("/api/v1/identity/me").status_code == 401


def test_page_revoke_of_someone_elses_authorisation_is_refused(client, alice, bob):
    theirs = AuthorisationFactory(principal=bob)
    client.force_login(alice)
    before = _snapshot()
    response = client.post(reverse("identity:authorisations"), {"action": "revoke", "id": theirs.pk})
    assert response.status_code == 200 and "notice--error" in response.content.decode()
    assert _snapshot() == before


def test_authorisation_lifecycle_and_acting_for(alice, bob):
    authorisation = services.authorisation_grant(principal=alice, agent=bob, item_codes=["ITEM-1"], expires_at=LATER)
    services.act_for(actor=bob, principal=alice, item_code="ITEM-1", action="case_submit")
    assert IdentityEvent.objects.filter(action="acted:case_submit", actor=bob, subject_user=alice).count() == 1
    with pytest.raises(PermissionDenied):
        services.act_for(actor=bob, principal=alice, item_code="ITEM-2", action="case_submit")
    with pytest.raises(PermissionDenied):
        services.act_for(actor=alice, principal=bob, item_code="ITEM-1", action="case_submit")  # not the other way
    services.authorisation_revoke(actor=alice, authorisation_id=authorisation.pk)
    with pytest.raises(PermissionDenied):
        services.act_for(actor=bob, principal=alice, item_code="ITEM-1", action="case_submit")
    expired = AuthorisationFactory(principal=alice, agent=bob, expired=True)
    assert expired.item_codes == ["ITEM-001"]
    with pytest.raises(PermissionDenied):
        services.act_for(actor=bob, principal=alice, item_code="ITEM-001", action="case_submit")
    with pytest.raises(DomainError):
        services.authorisation_grant(principal=alice, agent=bob, item_codes=["X"], expires_at=timezone.now())


def test_enterprise_agents_are_managed_by_the_legal_representative_only(client, alice, bob):
    enterprise = EnterpriseFactory(legal_representative=PersonFactory(l2=True, phone="13911110003").user)
    grant = EnterpriseAgentFactory(enterprise=enterprise, agent=bob)
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.enterprise_agent_grant(
            actor=bob, enterprise=enterprise, agent=alice, all_items=True, item_codes=[], expires_at=LATER
        )
    with pytest.raises(PermissionDenied):
        services.enterprise_agent_revoke(actor=bob, grant_id=grant.pk)
    client.force_login(bob)
    assert client.get(reverse("identity:enterprise_agents", args=[enterprise.pk])).status_code == 404
    assert (
        client.post(
            reverse("identity:enterprise_agents", args=[enterprise.pk]), {"action": "revoke", "id": grant.pk}
        ).status_code
        == 404
    )
    assert _snapshot() == before
    # The agent may act for the enterprise; a stranger may not.
    services.act_for(actor=bob, enterprise=enterprise, item_code="ANY", action="case_submit")
    with pytest.raises(PermissionDenied):
        services.act_for(actor=alice, enterprise=enterprise, item_code="ANY", action="case_submit")
    assert [e["name"] for e in client.get("/api/v1/identity/enterprises").json()] == [enterprise.name]


def test_enterprise_registration_and_the_checksum_override():
    rep = PersonFactory(l2=True).user
    services.enterprise_register(actor=rep, credit_code="91 110000 600037341L", name="甲公司", legal_representative=rep)
    assert Enterprise.objects.get().credit_code == "91110000600037341L"
    with pytest.raises(DomainError):
        services.enterprise_register(
            actor=rep, credit_code="91350211M0000XUF46", name="乙公司", legal_representative=rep
        )
    with pytest.raises(PermissionDenied):  # only an administrator may accept a failing checksum
        services.enterprise_register(
            actor=rep,
            credit_code="91350211M0000XUF46",
            name="乙公司",
            legal_representative=rep,
            checksum_override_reason="早期试点",
        )
    admin = StaffAssignmentFactory(administrator=True).user
    pilot = services.enterprise_register(
        actor=admin,
        credit_code="91350211M0000XUF46",
        name="乙公司",
        legal_representative=rep,
        checksum_override_reason="早期试点赋码",
    )
    assert pilot.checksum_override_by == admin and pilot.checksum_override_reason == "早期试点赋码"
    with pytest.raises(DomainError) as refusal:  # level L1 cannot register an enterprise
        services.enterprise_register(
            actor=(low := PersonFactory().user), credit_code="91350100M000100Y43", name="丙", legal_representative=low
        )
    assert refusal.value.code == "real_name_level_required"
    assert Enterprise.objects.count() == 2


def test_api_grant_and_revoke_my_own_authorisation(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        "/api/v1/identity/authorisations",
        {"agent_phone": "13911110002", "item_codes": ["ITEM-9"], "expires_at": LATER.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["agent_public_id"] == str(bob.public_id) and created["item_codes"] == ["ITEM-9"]
    assert client.post(f"/api/v1/identity/authorisations/{created['id']}/revoke").status_code == 204
    assert Authorisation.objects.get(pk=created["id"]).revoked_at is not None
    client.force_login(bob)  # the agent can read it, but not revoke what alice gave
    assert client.get(f"/api/v1/identity/authorisations/{created['id']}").status_code == 200


def test_api_ids_check_needs_no_login(client):
    response = client.get("/api/v1/identity/ids/check", {"value": "44011320141005001x"})
    assert response.json() == {"kind": "resident_id", "valid": True, "normalized": "44011320141005001X", "error": None}
