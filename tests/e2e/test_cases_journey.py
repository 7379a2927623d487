"""A case end to end in a real browser, through the real login pages (staff with their TOTP second factor):
a citizen applies with a material missing, sees the pre-check list, supplies it and submits; one officer
holding the handler, reviewer and approver roles accepts, asks for one 补正, then forwards, reviews and
approves; the citizen follows each step and sees the decision. Every page passes axe-core's WCAG 2.1 AA rules.
"""

import os
import re
from pathlib import Path

import pyotp
import pytest

from tests.e2e.conftest import axe_violations
from tongban.cases.models import Case, Outcome, Stage
from tongban.cases.tests.factories import PDF, office
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("TONGBAN_SCREENSHOTS")  # set to a folder to keep a screenshot of each page
PASSWORD = "a-long-passphrase-1"


def _check(page, name):
    assert axe_violations(page) == [], name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/cases-{name}.png", full_page=True)


def _fits_a_phone(page, name):
    page.set_viewport_size({"width": 375, "height": 740})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{name}: no sideways scrolling"
        _check(page, name)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def _citizen_logs_in(page, phone):
    page.goto("/account/login/")
    page.locator("#id_identifier").fill(phone)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[value=login]").click()
    page.wait_for_url("**/account/")


def _officer_logs_in(page, username):
    """The real staff login: password, then the authenticator code (enrolled on first login)."""
    page.goto("/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/account/second-factor/**")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/workbench/")


def _upload(page, position, tmp_path: Path):
    scan = tmp_path / f"scan-{position}.pdf"
    scan.write_bytes(PDF)
    page.locator(f"#file-{position}").set_input_files(str(scan))
    with page.expect_response(re.compile(rf"/materials/{position}/$")):
        page.locator(f"#material-{position} button[type=submit]").click()
    page.locator(f"#material-{position} .badge--done").wait_for()


def _officer_does(page, case, action, fields=None):
    page.goto(f"/workbench/cases/{case.pk}/")
    details = page.locator(f"#action-{action}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for selector, value in (fields or {}).items():
        if value is True:
            details.locator(selector).check()
        else:
            details.locator(selector).fill(value)
    details.locator(f"button[value={action}]").click()
    page.wait_for_load_state()
    assert page.locator(".notice--success").is_visible(), action


def test_citizen_applies_officer_processes_with_one_supplement(page, browser, live_server, tmp_path):
    desk = office()
    person = PersonFactory(phone="13955550000", name="赵申请", user__password=PASSWORD)
    officer = UserFactory(username="officer-all", first_name="钱办理", password=PASSWORD, staff=True)
    for role in (StaffRole.HANDLER, StaffRole.REVIEWER, StaffRole.APPROVER):
        StaffAssignmentFactory(user=officer, department=desk.department, role=role)

    # The citizen starts an application from the item and uploads only the first material.
    _citizen_logs_in(page, "13955550000")
    page.goto(f"/cases/apply/{desk.item_code}/")
    _check(page, "apply")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/draft/$"))
    assert page.locator("#id_applicant_name").input_value() == "赵申请"
    _check(page, "draft")
    _fits_a_phone(page, "draft-phone")
    _upload(page, 1, tmp_path)
    precheck = page.locator("#precheck-title + div")
    assert "申请材料1" not in precheck.inner_text() and "申请材料2" in precheck.inner_text()

    # Submitting with a material missing shows the whole checklist, next to the material and on top.
    page.locator("#id_statement").fill("申请办理，谢谢。")
    page.locator("button[value=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href='#material-2']").is_visible()
    assert page.locator("#material-2-error").is_visible()
    _check(page, "draft-missing")
    _upload(page, 2, tmp_path)
    assert page.locator(".precheck--ok").is_visible()
    page.locator("button[value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/receipt/$"))
    case = Case.objects.get(applicant=person.user)
    assert case.number in page.locator("main").inner_text()
    _check(page, "receipt")
    status_link = page.locator("#status-link").input_value()

    # The officer logs in (password + TOTP), finds the case in the queue, accepts it and asks for a 补正.
    staff_context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    desk_page = staff_context.new_page()
    desk_page.set_default_timeout(10_000)
    _officer_logs_in(desk_page, "officer-all")
    assert case.number in desk_page.locator("main table").inner_text()
    _check(desk_page, "queue")
    desk_page.get_by_role("link", name=case.number).click()
    desk_page.wait_for_url(f"**/workbench/cases/{case.pk}/")
    _check(desk_page, "staff-case-submitted")
    _officer_does(desk_page, case, "accept")
    _officer_does(
        desk_page,
        case,
        "request_supplement",
        {
            "#id_request_supplement-reason": "材料2缺少公章",
            "#id_request_supplement-checklist_1": True,
            "#id_request_supplement-note": "请上传加盖公章的版本",
        },
    )
    _check(desk_page, "staff-case-supplement")

    # The citizen sees exactly what is needed, provides it again and says so.
    page.goto("/cases/")
    _check(page, "my-cases")
    _fits_a_phone(page, "my-cases-phone")
    page.get_by_role("link", name=case.number).click()
    assert "请上传加盖公章的版本" in page.locator("main").inner_text()
    assert page.locator("#file-2").is_visible() and page.locator("#file-1").count() == 0
    _check(page, "case-supplement")
    _upload(page, 2, tmp_path)
    page.locator("button[value=supply]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING
    _check(page, "case-handling")

    # The officer takes the case through 承办 → 审核 → 批准 and approves it.
    _officer_does(desk_page, case, "forward", {"#id_forward-comment": "材料齐全，拟同意"})
    _officer_does(desk_page, case, "forward")
    _check(desk_page, "staff-case-approval")
    _fits_a_phone(desk_page, "staff-case-phone")
    _officer_does(desk_page, case, "approve", {"#id_approve-comment": "准予"})
    _check(desk_page, "staff-case-closed")
    staff_context.close()

    # The citizen sees every step and the decision; the status link shows the steps without personal data.
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.APPROVED)
    page.goto(f"/cases/{case.pk}/")
    history = page.locator(".timeline").inner_text()
    for step in ("submit", "accept", "supplement", "forward", "approve"):
        assert page.locator(".timeline li").count() >= 7, step
    assert "材料齐全，拟同意" in history
    assert page.locator("#outcome-title").is_visible()
    _check(page, "case-approved")
    anonymous = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    public = anonymous.new_page()
    public.goto(status_link)
    text = public.locator("main").inner_text()
    assert case.number in text and "赵申请" not in text and "材料齐全，拟同意" not in text
    assert public.evaluate("document.documentElement.scrollWidth") <= 375
    _check(public, "status-link-phone")
    anonymous.close()


def test_window_clerk_takes_a_walk_in_application(page, tmp_path):
    desk = office()
    PersonFactory(phone="13966660000", name="孙来访")
    clerk = desk.clerk
    clerk.set_password(PASSWORD)
    clerk.save()
    _officer_logs_in(page, clerk.username)
    page.get_by_role("link", name=re.compile("一窗受理")).click()
    _check(page, "intake")
    page.locator("#id_find-phone_or_id").fill("13966660000")
    page.locator("button[value=find]").click()
    page.wait_for_load_state()
    assert "孙来访" in page.locator("main").inner_text()
    page.locator("#id_start-item_code").fill(desk.item_code)
    page.locator("#id_start-identity_checked").check()
    _check(page, "intake-found")
    page.locator("button[value=start]").click()
    page.wait_for_url(re.compile(r"/workbench/intake/\d+/$"))
    _check(page, "intake-case")
    for position in (1, 2):
        page.locator(f"#material-{position} button[type=submit]").click()
        page.locator(f"#material-{position} .badge--done").wait_for()
    assert page.locator(".precheck--ok").is_visible()
    page.locator("main form button.button--large").click()
    page.wait_for_url(re.compile(r"/workbench/cases/\d+/$"))
    case = Case.objects.get(channel="window")
    assert case.stage == Stage.HANDLING and case.number in page.locator(".notice--success").inner_text()
    _check(page, "intake-accepted")
