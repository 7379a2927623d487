"""The front doors open, read well in Chinese and English, and pass axe-core's WCAG 2.1 AA rules."""

import pyotp
import pytest

from tests.e2e.conftest import axe_violations
from tongban.identity.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_home_is_chinese_first_and_accessible(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("main h1").inner_text().strip()
    assert "通办" in page.title()
    assert axe_violations(page) == []
    # The header language switch turns the page to English (and back).
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Tongban" in page.title()
    assert axe_violations(page) == []


def test_portal_home_fits_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, "no horizontal scrolling on a phone"
    assert axe_violations(page) == []


def test_keyboard_user_can_skip_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"


def test_workbench_login_then_queue(page):
    UserFactory(username="officer1", password="officer-password-1", staff=True, first_name="王承办")
    page.goto("/workbench/")
    assert page.url.endswith("/workbench/login/?next=/workbench/")
    assert axe_violations(page) == []
    page.get_by_label("用户名").fill("officer1")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("密码").fill("officer-password-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/account/second-factor/**")  # staff confirm a TOTP code; the first time they enrol
    assert axe_violations(page) == []
    page.locator("#id_code").fill(pyotp.TOTP(page.locator("#totp-secret").inner_text().strip()).now())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/workbench/")
    assert "王承办" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_htmx_is_served_locally_and_sends_the_csrf_token(page):
    page.goto("/")
    assert page.evaluate("typeof htmx") == "object"
    headers = page.locator("body").get_attribute("hx-headers")
    assert "X-CSRFToken" in headers
