import pytest
from django.test import override_settings

from tongban.common.demo import demo_accounts, load_demo_data
from tongban.common.errors import DomainError
from tongban.common.models import DemoDataset
from tongban.identity import demo as identity_demo
from tongban.identity.demo import DEMO_PASSWORD
from tongban.identity.demo_data import DEMO_ENTERPRISE_CODE, DEMO_PERSONS
from tongban.identity.ids import normalize_resident_id
from tongban.identity.models import Enterprise, RealNameLevel, StaffAssignment, StaffRole, User
from tongban.identity.selectors import staff_scope
from tongban.identity.services import person_find

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_and_accounts_can_log_in(client):
    assert "identity" in load_demo_data()
    assert load_demo_data() == []  # second start of `make run`: nothing reloaded
    assert DemoDataset.objects.filter(name="identity").exists()
    citizen = User.objects.get(username="citizen")
    citizen.set_password("changed-by-the-user-1")
    citizen.save()
    assert load_demo_data() == []
    citizen.refresh_from_db()
    assert citizen.check_password("changed-by-the-user-1"), "a later start must not reset passwords"
    assert client.login(username="officer", password=DEMO_PASSWORD)
    logins = {account.login for account in demo_accounts()}
    assert {"citizen", "clerk", "officer", "supervisor", "admin"} <= logins


def test_demo_data_is_refused_in_production():
    with override_settings(IS_PRODUCTION=True), pytest.raises(DomainError) as refusal:
        load_demo_data()
    assert refusal.value.code == "demo_in_production"
    assert not User.objects.exists()


def test_demo_persons_have_valid_ids_and_level_two_and_staff_have_roles():
    identity_demo.load()  # this context's loader only (the others are slow and tested in their contexts)
    identity_demo.load()  # idempotent
    assert not person_find(phone_or_id=DEMO_PERSONS[2].phone)  # 王五 is in the demo registry only, to register
    for demo in DEMO_PERSONS[:2]:
        assert normalize_resident_id(demo.id_number) == demo.id_number
        person = person_find(phone_or_id=demo.phone)
        assert person is not None and person.user.username == demo.username
        assert person.real_name_level == RealNameLevel.L2
    assert StaffAssignment.objects.filter(user__username="clerk", role=StaffRole.WINDOW_CLERK).exists()
    assert staff_scope(User.objects.get(username="admin")).everything
    assert Enterprise.objects.get(credit_code=DEMO_ENTERPRISE_CODE).legal_representative.username == "citizen"
