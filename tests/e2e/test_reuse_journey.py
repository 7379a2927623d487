"""Asking once, end to end in a real browser (issues 6 and 8): a citizen applies for a business license on the
item's own form (the name pre-filled from the account, its source shown); an officer approves it; the license
appears in the citizen's wallet. A second application needing that license and a household register is then
submitted without a single upload — the license attached from the wallet, the register proven by the
population registry through the exchange — and the officer sees both verified. The citizen's "who used my
data" page shows the call; revoking the license makes the verification page say so. 0 axe violations.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_cases_journey import PASSWORD, _citizen_logs_in, _officer_does, _officer_logs_in
from tongban.cases.models import Case, Outcome, Stage
from tongban.cases.tests.factories import office
from tongban.catalog.models import ItemVersion
from tongban.catalog.tests.factories import MaterialFactory
from tongban.exchange.demo import install_demo_catalog
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory
from tongban.licenses.public import License, LicenseType, LicenseUse, license_revoke
from tongban.licenses.tests.isolation import BUSINESS_LICENSE_FIELDS
from tongban.licenses.views import show_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("license_keys")]
SHOTS = os.environ.get("TONGBAN_SCREENSHOTS")

FORM = {
    "type": "object",
    "required": ["name", "address", "phone"],
    "properties": {
        "name": {"type": "string", "title": "经营者名称（店名）", "maxLength": 50},
        "operator": {"type": "string", "title": "经营者姓名", "x-prefill": "identity.name"},
        "address": {"type": "string", "title": "经营场所地址", "maxLength": 100},
        "phone": {"type": "string", "title": "联系电话", "format": "phone"},
    },
}


def _check(page: Any, name: str) -> None:
    assert axe_violations(page) == [], name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/reuse-{name}.png", full_page=True)


def first_day_of(text: str) -> bool:
    """The pre-fill note names a date: the source is shown with its time."""
    return re.search(r"\d{4}-\d{2}-\d{2}", text) is not None


def _officer_approves(desk_page: Any, case: Case) -> None:
    for action in ("accept", "forward", "forward", "approve"):
        _officer_does(desk_page, case, action)


def test_a_license_from_one_case_and_shared_data_replace_every_upload_of_the_next(page, browser, live_server):
    install_demo_catalog(connector="inprocess")  # the demo department systems, answered in process
    registration = office(materials=0, form_schema=FORM)
    food = office(materials=0, form_schema=FORM)
    food_version = ItemVersion.objects.get(item__code=food.item_code)
    MaterialFactory(version=food_version, position=1, name="营业执照", substitute="e_license", substitute_ref="")
    MaterialFactory(
        version=food_version,
        position=2,
        name="居民户口簿",
        substitute="shared_data",
        substitute_ref="population.household",
    )
    LicenseType.objects.create(
        code="E2E-YYZZ",
        name="个体工商户营业执照（测试）",
        issuing_department=registration.department,
        holder_kind="person",
        field_schema=BUSINESS_LICENSE_FIELDS,
        replaces_materials=["营业执照"],
        issued_for_items=[registration.item_code],
    )
    person = PersonFactory(phone="13955551111", name="张三", user__username="citizen", user__password=PASSWORD)
    officer = UserFactory(username="officer-both", first_name="钱办理", password=PASSWORD, staff=True)
    for desk in (registration, food):
        for role in (StaffRole.HANDLER, StaffRole.REVIEWER, StaffRole.APPROVER):
            StaffAssignmentFactory(user=officer, department=desk.department, role=role)

    # 1. The business license: the item's own form, the operator's name pre-filled from the account.
    _citizen_logs_in(page, "13955551111")
    page.goto(f"/cases/apply/{registration.item_code}/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/draft/$"))
    assert page.locator("#id_form-operator").input_value() == "张三"
    assert first_day_of(page.locator("#id_form-operator_helptext").inner_text())  # where it came from, and when
    page.locator("#id_form-name").fill("张记小吃")
    page.locator("#id_form-phone").fill("12345")
    page.locator("button[value=submit]").click()
    page.wait_for_load_state()
    # Missing and wrong answers are named next to their fields and in the summary.
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_form-phone-error").is_visible() and page.locator("#id_form-address-error").is_visible()
    _check(page, "draft-form-errors")
    page.locator("#id_form-address").fill("广安区示例路1号")
    page.locator("#id_form-phone").fill("13955551111")
    page.locator("button[value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/receipt/$"))
    first = Case.objects.get(applicant=person.user, item_code=registration.item_code)

    staff = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    desk_page = staff.new_page()
    desk_page.set_default_timeout(10_000)
    _officer_logs_in(desk_page, "officer-both")
    _officer_approves(desk_page, first)
    first.refresh_from_db()
    assert (first.stage, first.outcome) == (Stage.CLOSED, Outcome.APPROVED)
    issued = License.objects.get(case_ref=first.number)

    page.goto("/licenses/wallet/")
    assert issued.number in page.locator("main").inner_text()
    _check(page, "wallet")

    # 2. The food license: both materials are there before the citizen does anything; no upload at all.
    page.goto(f"/cases/apply/{food.item_code}/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/draft/$"))
    assert page.locator(".precheck").inner_text().count("营业执照") == 0
    assert issued.number in page.locator("#material-1").inner_text()
    assert page.locator("#material-2 .badge--done").is_visible()
    _check(page, "draft-nothing-to-upload")
    page.locator("#id_form-name").fill("张记小吃")
    page.locator("#id_form-address").fill("广安区示例路1号")
    page.locator("#id_form-phone").fill("13955551111")
    page.locator("button[value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/\d+/receipt/$"))
    second = Case.objects.get(applicant=person.user, item_code=food.item_code)
    assert sorted(second.materials.values_list("source", "trust_level")) == [("e_license", "A"), ("shared_data", "A")]
    assert not second.materials.filter(source="upload").exists()
    assert LicenseUse.objects.filter(license=issued, kind="attached", case_ref=second.number).exists()

    # The officer sees the license verified now and the household record with its source.
    desk_page.goto(f"/workbench/cases/{second.pk}/")
    materials = desk_page.locator("#materials-title + .table-wrap").inner_text()
    assert issued.number in materials and "户籍信息" in materials
    _check(desk_page, "staff-case-proofs")
    staff.close()

    # 3. Who used my data: the population registry call for this application.
    page.goto("/my/data/usage/")
    assert "户籍信息" in page.locator("main").inner_text()
    _check(page, "who-used-my-data")

    # 4. Revoked, the license fails verification with the reason.
    license_revoke(license=issued, actor=None, reason="事后核查不通过")
    page.goto(f"/licenses/verify/?t={show_token(issued.number)}")
    assert page.locator("[data-testid=verify-invalid]").is_visible()
    assert "撤销" in page.locator("main").inner_text()
    _check(page, "verify-revoked")
