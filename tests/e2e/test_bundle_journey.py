"""一件事 end to end in a real browser (issue 9): a citizen applies for 开饭店 once from the bundle's guide page —
one form, ten materials instead of eighteen, the fire-safety proof replaced by a signed commitment (告知承诺).
The business licence (stage 1) is approved first; the platform then releases the three stage-2 services to
their departments with that licence attached, and the three departments act in parallel. The fire brigade asks
for one 补正, which only stops its own clock; the citizen supplies it; all approve. The citizen's bundle page
then lists all four e-licenses together and shows the saving; the fire brigade has a post-check queued. Every
page passes axe-core's WCAG 2.1 AA rules.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_cases_journey import PASSWORD, _citizen_logs_in, _officer_does, _officer_logs_in, _upload
from tongban.cases.models import BundleCase, BundleStatus, Case, CaseMaterial, PostCheck, Stage
from tongban.cases.tests.factories import PDF
from tongban.catalog import bundles_demo
from tongban.identity.public import Department, StaffRole
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory
from tongban.licenses import demo as licenses_demo
from tongban.licenses.public import licenses_held_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("license_keys")]
SHOTS = os.environ.get("TONGBAN_SCREENSHOTS")
DEPARTMENTS = {"spj": "DEMO-511602-SPJ", "xf": "DEMO-511602-XF", "zj": "DEMO-511602-ZJ"}
ITEMS = {"licence": "DEMO-SC-0001", "food": "DEMO-SC-0002", "fire": "DEMO-SC-0003", "sign": "DEMO-SC-0004"}


def _check(page: Any, name: str) -> None:
    assert axe_violations(page) == [], name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/bundle-{name}.png", full_page=True)


def _officer(name: str, department_code: str) -> None:
    user = UserFactory(username=name, password=PASSWORD, staff=True)
    department = Department.objects.get(code=department_code)
    for role in (StaffRole.HANDLER, StaffRole.REVIEWER, StaffRole.APPROVER):
        StaffAssignmentFactory(user=user, department=department, role=role)


def _desk(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    desk.set_default_timeout(10_000)
    _officer_logs_in(desk, username)
    return desk


def test_kai_fandian_applied_once_handled_in_parallel_results_delivered_together(page, browser, live_server, tmp_path):
    bundles_demo.load()
    licenses_demo._load_bundle_results()  # the four licence types the 开饭店 items result in
    for name, code in DEPARTMENTS.items():
        _officer(f"officer-{name}", code)
    person = PersonFactory(phone="13955551111", name="王开店", user__password=PASSWORD)

    # From the bundle's guide page to its application: one form, one material list, the saving shown.
    _citizen_logs_in(page, "13955551111")
    page.goto("/services/bundles/kai-fandian/")
    page.locator("main a[href='/cases/bundles/apply/kai-fandian/']").click()
    page.wait_for_url("**/cases/bundles/apply/kai-fandian/")
    assert page.locator("#saving-materials-before").inner_text() == "18"
    assert page.locator("#saving-materials-after").inner_text() == "10"
    assert page.locator("#id_form-operator").input_value() == "王开店"  # from the real-name account
    _check(page, "apply")
    page.locator("#id_form-name").fill("王记川菜馆")
    page.locator("#id_form-address").fill("广安区建设路8号")
    page.locator("#id_form-phone").fill("13955551111")
    page.locator("#id_form-scope__1").fill("餐饮服务")
    page.locator("#id_form-scope__2").select_option("热食类食品制售")
    page.locator("#id_form-area").fill("120")
    page.locator("#id_form-sign_text").fill("王记川菜馆")
    materials = page.locator(".bundle-materials > li")
    assert materials.count() == 10 and page.locator("input[type=file]").count() == 9  # 营业执照 comes from step 1
    for index in range(materials.count()):
        row = materials.nth(index)
        if row.locator("input[type=file]").count() == 0 or "消防安全制度" in row.inner_text():
            continue  # the fire-safety rules: the signed commitment replaces them
        scan = tmp_path / f"scan-{index}.pdf"
        scan.write_bytes(PDF)
        row.locator("input[type=file]").set_input_files(str(scan))
    page.locator("#commit-3").check()
    page.locator("#bundle-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/bundles/\d+/$"))
    bundle = BundleCase.objects.get(applicant=person.user)
    assert bundle.number in page.locator("main").inner_text()
    _check(page, "bundle-submitted")
    children = {code: Case.objects.get(parent=bundle, item_code=code) for code in ITEMS.values()}
    assert children[ITEMS["licence"]].stage == Stage.SUBMITTED
    assert {children[ITEMS[k]].stage for k in ("food", "fire", "sign")} == {Stage.WAITING}
    fire_rules = children[ITEMS["fire"]].materials.get(name="消防安全制度")
    assert fire_rules.source == CaseMaterial.Source.COMMITMENT

    # Stage 1: the approval bureau issues the business licence; the three stage-2 services are released.
    spj = _desk(browser, live_server, "officer-spj")
    licence_case = children[ITEMS["licence"]]
    for action in ("accept", "forward", "forward", "approve"):
        _officer_does(spj, licence_case, action)
    food, fire, sign = (Case.objects.get(pk=children[ITEMS[k]].pk) for k in ("food", "fire", "sign"))
    assert food.stage == fire.stage == sign.stage == Stage.SUBMITTED
    assert food.materials.get(name="营业执照").source == CaseMaterial.Source.E_LICENSE

    # Stage 2: three departments act in parallel; the fire brigade asks for one supplement.
    xf = _desk(browser, live_server, "officer-xf")
    zj = _desk(browser, live_server, "officer-zj")
    _officer_does(spj, food, "accept")
    _officer_does(xf, fire, "accept")
    _officer_does(zj, sign, "accept")
    position = fire.materials.get(name="消防安全检查申报表").position
    _officer_does(xf, fire, "request_supplement", {
        "#id_request_supplement-reason": "申报表缺少签名",
        f"#id_request_supplement-checklist_{position - 1}": True,
        "#id_request_supplement-note": "请签名后重新上传",
    })  # fmt: skip
    _officer_does(spj, food, "forward")
    _officer_does(zj, sign, "forward")
    food.refresh_from_db()
    fire.refresh_from_db()
    assert fire.stage == Stage.SUPPLEMENT and food.stage == Stage.REVIEW and food.suspended_since is None

    # The citizen sees which service needs them, supplies it on that service's page.
    page.goto(f"/cases/bundles/{bundle.pk}/")
    assert page.locator(f"#child-{fire.pk} .badge--missing").is_visible()
    _check(page, "bundle-supplement")
    page.locator(f"#child-{fire.pk} .badge--missing").click()
    page.wait_for_url(f"**/cases/{fire.pk}/")
    _upload(page, position, tmp_path)
    page.locator("button[value=supply]").click()
    page.wait_for_load_state()
    fire.refresh_from_db()
    assert fire.stage == Stage.HANDLING

    # All approve, in any order.
    _officer_does(xf, fire, "forward")
    _officer_does(spj, food, "forward")
    _officer_does(zj, sign, "forward")
    _officer_does(xf, fire, "forward")
    _officer_does(zj, sign, "approve")
    _officer_does(xf, fire, "approve")
    assert BundleCase.objects.get(pk=bundle.pk).status == BundleStatus.OPEN
    _officer_does(spj, food, "approve")
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.COMPLETED

    # The fire brigade has the post-check of the commitment queued.
    xf.goto("/workbench/postchecks/")
    assert fire.number in xf.locator("#postcheck-queue").inner_text()
    assert PostCheck.objects.get().case_id == fire.pk
    _check(xf, "postcheck-queue")

    # The citizen receives all four e-licenses together, on the bundle page, with the saving.
    page.goto(f"/cases/bundles/{bundle.pk}/")
    results = page.locator("#bundle-results li")
    assert results.count() == 4
    held = {lic.number for lic in licenses_held_by(person.user)}
    assert {r["number"] for r in bundle.results} == held and len(held) == 4
    assert page.locator("#saving-days-before").inner_text() == "23"
    assert page.locator("#saving-days-after").inner_text() == "11"
    _check(page, "bundle-completed")
    for desk in (spj, xf, zj):
        desk.context.close()
