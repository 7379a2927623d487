import pytest
from django.test import override_settings

from tongban.common.demo import demo_accounts, load_demo_data
from tongban.common.errors import DomainError
from tongban.common.models import DemoDataset
from tongban.identity.demo import DEMO_PASSWORD
from tongban.identity.models import User

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_and_accounts_can_log_in(client):
    assert load_demo_data() == ["identity"]
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
