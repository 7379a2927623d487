"""Licenses signed with SM2 over SM3 (the optional ``tongsuopy`` signer, extra ``tongban[sm]``): they verify, a
tampered one fails on its signature, the DID document publishes the SM2 key, and licenses signed with the
Ed25519 key before the switch keep verifying. Skipped where tongsuopy is not installed."""

from __future__ import annotations

import copy

import pytest

from tongban.licenses import resolvers
from tongban.licenses.keys import did_document, public_keys_from_did_document, signing_key_rotate
from tongban.licenses.models import License
from tongban.licenses.public import license_issue, validate_credential, verify_license
from tongban.licenses.tests.factories import FIELDS, LicenseTypeFactory, holder, staff_of
from tongban.licenses.verify import verify_credential

pytest.importorskip("tongsuopy", reason="the optional SM2/SM3 signer needs tongsuopy (pip install 'tongban[sm]')")

pytestmark = pytest.mark.django_db


def _issue() -> License:
    kind = LicenseTypeFactory()
    return license_issue(
        license_type=kind, holder=holder(), fields=FIELDS, case_ref="440106-20260101-000009", actor=staff_of(kind)
    )


def test_a_license_signed_with_sm2_verifies_and_tampering_fails() -> None:
    before = _issue()  # Ed25519, the default
    assert before.credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"

    key = signing_key_rotate(algorithm="SM2")
    assert key.algorithm == "SM2"
    item = _issue()
    proof = item.credential["proof"]
    assert proof["cryptosuite"] == "sm2-jcs-2024"
    assert proof["verificationMethod"].endswith(key.key_id)
    assert validate_credential(item.credential) == []
    assert verify_license(item.credential) == {"valid": True, "reasons": []}

    tampered = copy.deepcopy(item.credential)
    tampered["credentialSubject"]["fields"]["name"] = "李四小吃店"
    assert "signature" in verify_license(tampered)["reasons"]

    # The old Ed25519 license keeps verifying after the switch.
    assert verify_license(before.credential)["valid"] is True


def test_the_did_document_publishes_the_sm2_key_for_offline_verification() -> None:
    signing_key_rotate(algorithm="SM2")
    item = _issue()
    keys = public_keys_from_did_document(did_document())
    assert keys[item.credential["proof"]["verificationMethod"]][0] == "SM2"
    # With only the keys the DID document publishes (as an offline verifier has them), no database look-up of keys.
    result = verify_credential(item.credential, keys=keys.get, status=resolvers.database_status())
    assert result["valid"] is True, result
