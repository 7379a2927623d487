"""Pages: register, log in (password and code), account, logout everywhere, staff second factor, staff page."""

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from tongban.identity.models import LoginRecord, SignInSession, TotpDevice
from tongban.identity.tests.factories import DepartmentFactory, PersonFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"
PHONE = "13912345678"


def test_register_with_a_code_then_see_my_masked_account(client, last_code):
    url = reverse("identity:register")
    form = {"name": "张三", "id_number": ID, "phone": PHONE, "password": "a-long-passphrase-1"}
    response = client.post(url, {**form, "action": "send_code"})
    assert response.status_code == 200
    response = client.post(url, {**form, "code": last_code(), "action": "register"})
    assert response.status_code == 302
    page = client.get(reverse("identity:account")).content.decode()
    assert "1101**********002X" in page and "139****5678" in page
    assert ID not in page and PHONE not in page
    assert list(LoginRecord.objects.values_list("method", flat=True)) == ["register"]


def test_login_page_shows_the_lockout_time(client):
    PersonFactory(phone=PHONE, user__password="a-long-passphrase-1")
    for _ in range(5):
        response = client.post(reverse("identity:login"), {"identifier": PHONE, "password": "wrong"})
    assert response.status_code == 200
    assert "15" in response.content.decode() or ":" in response.content.decode()
    response = client.post(reverse("identity:login"), {"identifier": PHONE, "password": "a-long-passphrase-1"})
    assert "_auth_user_id" not in client.session


def test_login_by_code_page(client, last_code):
    person = PersonFactory(phone=PHONE)
    client.post(reverse("identity:login_code"), {"phone": PHONE, "action": "send_code"})
    response = client.post(reverse("identity:login_code"), {"phone": PHONE, "code": last_code(), "action": "login"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.user.pk)


def test_logout_everywhere_ends_the_other_sessions():
    person = PersonFactory(phone=PHONE, user__password="a-long-passphrase-1")
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post(reverse("identity:login"), {"identifier": PHONE, "password": "a-long-passphrase-1"})
    assert SignInSession.objects.filter(user=person.user).count() == 2  # each session names its user
    laptop.post(reverse("identity:logout_everywhere"))
    assert SignInSession.objects.count() == 0
    assert phone.get(reverse("identity:account")).status_code == 302  # sent to log in
    assert LoginRecord.objects.filter(user=person.user, ended_at__isnull=True).count() == 0


def test_staff_must_pass_totp_before_workbench(client):
    user = UserFactory(username="officer9", password="officer-password-1", staff=True)
    response = client.post(reverse("workbench:login"), {"username": "officer9", "password": "officer-password-1"})
    assert response.status_code == 302
    response = client.get("/workbench/")
    assert response.status_code == 302 and response.url.startswith(reverse("identity:second_factor"))
    page = client.get(response.url)
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()
    response = client.post(response.url, {"code": pyotp.TOTP(secret).now(), "next": "/workbench/"})
    assert response.status_code == 302 and response.url == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_staff_page_is_for_administrators_only(client):
    department = DepartmentFactory()
    handler = StaffAssignmentFactory(department=department).user
    client.force_login(handler)
    assert client.get(reverse("identity:staff")).status_code == 404
    admin = UserFactory(administrator=True)
    client.force_login(admin)
    newcomer = UserFactory(username="newclerk")
    response = client.post(
        reverse("identity:staff"),
        {"action": "assign", "username": "newclerk", "department": department.pk, "role": "window_clerk"},
    )
    assert response.status_code == 302
    assert newcomer.staff_roles.get().role == "window_clerk"


def test_pages_need_login(client):
    for name in ("identity:account", "identity:authorisations", "identity:enterprises", "identity:staff"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/account/login/" in response.url
