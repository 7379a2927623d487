"""Issuance, the credential format, verification reasons, status lists, key rotation, import, reminders."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from tongban.common.models import AuditEvent, Message
from tongban.common.public import DomainError, PermissionDenied
from tongban.identity import demo as identity_demo
from tongban.identity.tests.factories import EnterpriseFactory, UserFactory
from tongban.licenses import demo, resolvers
from tongban.licenses.keys import did_document, issuer_did, signing_key_rotate
from tongban.licenses.models import License, LicenseStatus, LicenseUse, SigningKey, StatusList
from tongban.licenses.public import (
    license_expiry_sweep,
    license_for_material,
    license_import,
    license_issue,
    license_reinstate,
    license_revoke,
    license_suspend,
    validate_credential,
    verify_license,
)
from tongban.licenses.services import status_list_credential
from tongban.licenses.status_list import LIST_SIZE, bit_is_set, decode_list
from tongban.licenses.tests.factories import FIELDS, LicenseTypeFactory, holder, staff_of
from tongban.licenses.vc import V2_CONTEXT
from tongban.licenses.verify import verify_credential

pytestmark = pytest.mark.django_db


def _issue(**overrides: Any) -> License:
    kind = overrides.pop("license_type", None) or LicenseTypeFactory()
    return license_issue(
        license_type=kind,
        holder=overrides.pop("holder", None) or holder(),
        fields=overrides.pop("fields", FIELDS),
        case_ref=overrides.pop("case_ref", "440106-20260101-000001"),
        actor=overrides.pop("actor", None) or staff_of(kind),
    )


def _leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaf_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in _leaf_paths(v, (*path, n))]
    return [(path, value)] if isinstance(value, str) else []


def _set(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def test_issued_license_is_a_valid_vc_that_verifies() -> None:
    item = _issue()
    credential = item.credential
    assert credential["@context"][0] == V2_CONTEXT
    assert credential["type"] == ["VerifiableCredential", "TongbanLicense"]
    assert credential["issuer"]["id"] == issuer_did() == "did:web:zwfw.example.gov.cn"
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert credential["proof"]["proofValue"].startswith("z")
    assert credential["credentialSubject"]["fields"] == FIELDS
    assert [e["statusPurpose"] for e in credential["credentialStatus"]] == ["revocation", "suspension"]
    assert validate_credential(credential) == []
    assert verify_license(credential) == {"valid": True, "reasons": []}
    assert item.valid_until is not None and item.valid_until.year == item.valid_from.year + 5
    assert item.number.startswith(f"{item.license_type.code}-{item.valid_from.year}-")
    assert AuditEvent.objects.filter(action="license.issued", object_id=str(item.pk)).exists()
    assert Message.objects.filter(recipient_id=item.holder_user_id, topic="license").exists()
    assert LicenseUse.objects.filter(license=item, kind=LicenseUse.Kind.ISSUED).exists()


def test_a_one_character_change_in_any_string_fails_verification() -> None:
    credential = _issue().credential
    leaves = _leaf_paths(credential)
    assert len(leaves) > 25
    for path, text in leaves:
        tampered = copy.deepcopy(credential)
        changed = (text[:-1] + ("X" if text[-1:] != "X" else "Y")) if text else "X"
        _set(tampered, path, changed)
        result = verify_license(tampered)
        assert not result["valid"], path
        if path[0] not in {"proof", "issuer"}:
            assert "signature" in result["reasons"], (path, result)


def test_changed_numbers_and_added_or_removed_members_fail() -> None:
    credential = _issue().credential
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["fields"]["capital"] = 51
    assert verify_license(tampered)["reasons"] == ["signature"]
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["extra"] = "x"
    assert verify_license(tampered)["reasons"] == ["signature"]
    tampered = copy.deepcopy(credential)
    del tampered["validUntil"]
    assert verify_license(tampered)["reasons"] == ["signature"]
    tampered = copy.deepcopy(credential)
    del tampered["proof"]
    assert verify_license(tampered)["reasons"] == ["proof_missing"]


def test_a_key_we_do_not_know_fails_with_unknown_key() -> None:
    credential = copy.deepcopy(_issue().credential)
    credential["proof"]["verificationMethod"] = f"{issuer_did()}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    assert "unknown_key" in verify_license(credential)["reasons"]


def test_a_signature_by_another_key_fails() -> None:
    item = _issue()
    rotated = signing_key_rotate()
    credential = copy.deepcopy(item.credential)
    credential["proof"]["verificationMethod"] = f"{issuer_did()}#{rotated.key_id}"
    assert verify_license(credential)["reasons"] == ["signature"]


def test_key_rotation_keeps_old_signatures_valid_and_publishes_every_key() -> None:
    kind = LicenseTypeFactory()
    old = _issue(license_type=kind)
    signing_key_rotate()
    new = _issue(license_type=kind)
    assert old.credential["proof"]["verificationMethod"] != new.credential["proof"]["verificationMethod"]
    assert verify_license(old.credential)["valid"]
    assert verify_license(new.credential)["valid"]
    listed = {m["id"] for m in did_document()["verificationMethod"]}
    assert {old.credential["proof"]["verificationMethod"], new.credential["proof"]["verificationMethod"]} <= listed
    assert SigningKey.objects.filter(is_active=True).count() == 1


def test_revoke_suspend_reinstate_and_expiry() -> None:
    item = _issue()
    officer = staff_of(item.license_type)
    license_suspend(license=item, actor=officer, reason="核查中")
    assert verify_license(item.credential) == {"valid": False, "reasons": ["suspended"]}
    license_reinstate(license=item, actor=officer, reason="核查通过")
    assert verify_license(item.credential)["valid"]
    license_revoke(license=item, actor=officer, reason="事后核查不通过")
    assert verify_license(item.credential) == {"valid": False, "reasons": ["revoked"]}
    item.refresh_from_db()
    assert item.status == LicenseStatus.REVOKED
    with pytest.raises(DomainError):
        license_reinstate(license=item, actor=officer, reason="")
    actions = set(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("action", flat=True))
    assert {"license.issued", "license.suspended", "license.reinstated", "license.revoked"} <= actions
    later = timezone.now() + timedelta(days=365 * 6)
    other = _issue()
    result = verify_credential(
        other.credential, keys=resolvers.database_keys, status=resolvers.database_status(), now=later
    )
    assert result == {"valid": False, "reasons": ["expired"]}


def test_status_list_is_a_signed_bitstring_status_list_credential() -> None:
    item = _issue()
    license_revoke(license=item, actor=None, reason="system")
    credential = status_list_credential("revocation", item.status_list_no)
    assert credential is not None
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert validate_credential(credential) == []
    assert verify_license(credential)["valid"]
    bits = decode_list(credential["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == LIST_SIZE
    assert bit_is_set(bits, item.status_index)
    assert sum(bin(b).count("1") for b in bits) == 1


def test_only_staff_of_the_issuing_department_may_issue_or_revoke() -> None:
    kind = LicenseTypeFactory()
    outsider = staff_of(LicenseTypeFactory())
    with pytest.raises(PermissionDenied):
        _issue(license_type=kind, actor=outsider)
    with pytest.raises(PermissionDenied):
        license_issue(license_type=kind, holder=holder(), fields=FIELDS, actor=UserFactory())
    with pytest.raises(PermissionDenied):
        license_issue(license_type=kind, holder=holder(), fields=FIELDS, actor=None)  # system needs a case
    item = _issue(license_type=kind)
    with pytest.raises(PermissionDenied):
        license_revoke(license=item, actor=outsider, reason="x")


def test_fields_and_holder_kind_are_checked() -> None:
    kind = LicenseTypeFactory()
    with pytest.raises(DomainError) as error:
        _issue(license_type=kind, fields={"name": "x", "unknown": "y", "capital": "many"})
    assert set(error.value.fields) == {"fields.address", "fields.unknown", "fields.capital"}
    with pytest.raises(DomainError):
        _issue(license_type=kind, holder=EnterpriseFactory())
    enterprise_kind = LicenseTypeFactory(enterprise=True)
    company = EnterpriseFactory()
    item = _issue(license_type=enterprise_kind, holder=company)
    assert item.holder_enterprise_id == company.pk
    assert verify_license(item.credential)["valid"]


def test_bulk_import_reports_each_bad_row_and_signs_the_rest() -> None:
    kind = LicenseTypeFactory()
    officer = staff_of(kind)
    people = [holder() for _ in range(3)]
    rows: list[dict[str, Any]] = [
        {"holder": p.username, "name": f"店{n}", "address": "广州", "number": f"PAPER-{n}"}
        for n, p in enumerate(people)
    ]
    rows.append({"holder": "nobody", "name": "x", "address": "y"})
    rows.append({"holder": people[0].username, "address": "y"})  # name missing
    rows.append({"holder": people[1].username, "name": "x", "address": "y", "number": "PAPER-0"})  # duplicate
    rows.append({"holder": people[2].username, "name": "x", "address": "y", "valid_until": "2030-01-01T00:00:00+08:00"})
    seen: list[int] = []
    report = license_import(license_type=kind.code, rows=rows, actor=officer, batch_size=2, progress=seen.append)
    assert report.as_dict()["issued"] == 4
    assert [r["row"] for r in report.rows] == [4, 5, 6]
    assert report.rows[0]["errors"] == {"holder": gettext("no such holder")}
    assert sum(seen) == len(rows)
    imported = License.objects.filter(license_type=kind)
    assert imported.count() == 4
    assert all(verify_license(item.credential)["valid"] for item in imported)
    assert License.objects.get(number="PAPER-1").subject == {"name": "店1", "address": "广州"}
    assert AuditEvent.objects.filter(action="license.imported").exists()


def test_status_slots_are_unique_and_lists_exist_for_both_purposes() -> None:
    kind = LicenseTypeFactory()
    items = [_issue(license_type=kind) for _ in range(3)]
    assert len({i.status_index for i in items}) == 3
    assert set(StatusList.objects.values_list("purpose", flat=True)) == {"revocation", "suspension"}


def test_expiry_sweep_reminds_once_and_marks_expired() -> None:
    kind = LicenseTypeFactory()
    soon = _issue(license_type=kind)
    License.objects.filter(pk=soon.pk).update(valid_until=timezone.now() + timedelta(days=10))
    gone = _issue(license_type=kind)
    License.objects.filter(pk=gone.pk).update(valid_until=timezone.now() - timedelta(days=1))
    assert license_expiry_sweep() == {"expired": 1, "reminded": 1}
    assert license_expiry_sweep() == {"expired": 0, "reminded": 0}
    assert Message.objects.filter(recipient_id=soon.holder_user_id).count() == 2  # issued, then the reminder
    assert License.objects.get(pk=gone.pk).status == LicenseStatus.EXPIRED


def test_license_for_material_finds_a_valid_held_license() -> None:
    person = holder()
    kind = LicenseTypeFactory()
    assert license_for_material(holder=person, material="食品经营许可证") is None
    item = _issue(license_type=kind, holder=person)
    assert license_for_material(holder=person, material="MAT-FOOD") == item
    assert license_for_material(holder=holder(), material="MAT-FOOD") is None
    license_revoke(license=item, actor=None, reason="x")
    assert license_for_material(holder=person, material="MAT-FOOD") is None


def test_demo_data_puts_a_verifying_license_in_the_citizen_wallet() -> None:

    identity_demo.load()
    demo.load()
    demo.load()  # idempotent
    item = License.objects.get(holder_user__username="citizen")
    assert item.number.startswith("JY440106")
    assert verify_license(item.credential)["valid"]
    assert license_for_material(holder=item.holder_user, material="DEMO-SPJY") == item  # type: ignore[arg-type]


def test_a_full_status_list_rolls_over_to_the_next_list() -> None:
    kind = LicenseTypeFactory()
    first = _issue(license_type=kind)
    StatusList.objects.filter(purpose="revocation", list_no=1).update(next_index=LIST_SIZE - 1)
    last_of_one, first_of_two = _issue(license_type=kind), _issue(license_type=kind)
    assert (last_of_one.status_list_no, last_of_one.status_index) == (1, LIST_SIZE - 1)
    assert (first_of_two.status_list_no, first_of_two.status_index) == (2, 0)
    license_revoke(license=first_of_two, actor=None, reason="x")
    assert verify_license(first_of_two.credential)["reasons"] == ["revoked"]
    assert verify_license(first.credential)["valid"] and verify_license(last_of_one.credential)["valid"]
