"""Identity pages in a real browser: register with an SMS code, my account, authorisations, enterprise agents,
staff second factor and staff management. Every page passes axe-core's WCAG 2.1 AA rules."""

import os
import re

import pyotp
import pytest

from tests.e2e.conftest import axe_violations
from tongban.identity.models import SmsOutbox
from tongban.identity.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("TONGBAN_SCREENSHOTS")  # set to a folder to keep screenshots of each page


def _check(page, name):
    assert axe_violations(page) == [], name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _code():
    return re.search(r"(?<!\d)\d{6}(?!\d)", SmsOutbox.objects.latest("pk").body).group(0)


def test_citizen_registers_then_manages_account_and_authorisations(page):
    PersonFactory(phone="13922220000", name="李四")
    page.goto("/account/register/")
    _check(page, "register")
    page.locator("#id_name").fill("张三")
    page.locator("#id_id_number").fill("11010519491231002x")
    page.locator("#id_phone").fill("13922221111")
    page.get_by_role("button", name=re.compile("验证码|Send code")).click()
    page.wait_for_load_state()
    page.locator("#id_code").fill(_code())
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.get_by_role("button", name=re.compile("^(注册|Register)$")).click()
    page.wait_for_url("**/account/")
    body = page.locator("main").inner_text()
    assert "1101**********002X" in body and "139****1111" in body and "11010519491231002X" not in body
    _check(page, "account")

    page.goto("/account/authorisations/")
    page.locator("#id_agent_phone").fill("13922220000")
    page.locator("#id_item_codes").fill("ITEM-001")
    page.locator("#id_expires_on").fill("2030-12-31")
    page.locator("button[value=grant]").click()
    page.wait_for_load_state()
    assert "李四" in page.locator("main").inner_text()
    _check(page, "authorisations")


def test_legal_representative_manages_enterprise_agents(page):
    rep = PersonFactory(l2=True, phone="13933330000", user__password="a-long-passphrase-1")
    PersonFactory(phone="13933331111", name="王五")
    enterprise = EnterpriseFactory(legal_representative=rep.user, name="演示科技有限公司")
    page.goto("/account/login/")
    _check(page, "login")
    page.locator("#id_identifier").fill("13933330000")
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("button[value=login]").click()
    page.wait_for_url("**/account/")
    page.goto("/account/enterprises/")
    _check(page, "enterprises")
    page.goto(f"/account/enterprises/{enterprise.pk}/agents/")
    page.locator("#id_agent_phone").fill("13933331111")
    page.locator("#id_all_items").check()
    page.locator("#id_expires_on").fill("2030-12-31")
    page.locator("button[value=grant]").click()
    page.wait_for_load_state()
    assert "王五" in page.locator("main").inner_text()
    _check(page, "enterprise-agents")


def test_staff_enrols_totp_then_administrator_manages_staff(page):
    department = DepartmentFactory(name="天河区政务服务中心")
    StaffAssignmentFactory(department=department, user=UserFactory(username="clerk1", first_name="李窗口", staff=True))
    UserFactory(username="root1", password="root-password-1", administrator=True)
    page.goto("/workbench/login/")
    page.get_by_label("用户名").fill("root1")
    page.get_by_label("密码").fill("root-password-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/account/second-factor/**")
    _check(page, "second-factor")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=re.compile("确认|Confirm")).click()
    page.wait_for_url("**/workbench/")
    page.goto("/account/staff/")
    assert "李窗口" in page.locator("main").inner_text()
    _check(page, "staff")
