"""What other contexts may use from licenses (电子证照). Import nothing else from this package.

For cases:
- ``license_issue(license_type=code, holder=user_or_enterprise, fields={...}, case_ref=case.number, actor=officer)``
  on an approved decision (``actor=None`` is the system issuing for ``case_ref``);
- ``license_for_material(holder=user, material=name_or_code, enterprise_id=None)`` → a valid held ``License``
  that replaces a catalog material, or None; then ``license_attach(license=..., case_ref=..., actor=...)`` to
  record the use in the holder's log; ``license_revoke`` after a failed 事后核查.
- ``verify_license(document)`` → ``{"valid": bool, "reasons": [...]}`` for officers' "verified" badge.
"""

from tongban.licenses.keys import did_document, issuer_did, signing_key_rotate
from tongban.licenses.models import License, LicenseStatus, LicenseType, LicenseUse
from tongban.licenses.selectors import (
    license_for_material,
    license_types_for_item,
    license_types_replacing,
    license_uses_for,
    license_valid_now,
    licenses_for_case,
    licenses_held_by,
    licenses_visible_to,
    replaceable_material_keys,
)
from tongban.licenses.selectors import verify_database as verify_license
from tongban.licenses.services import (
    ImportReport,
    license_attach,
    license_expiry_sweep,
    license_import,
    license_issue,
    license_reinstate,
    license_revoke,
    license_suspend,
    license_use_record,
)
from tongban.licenses.vc import validate as validate_credential

__all__ = [
    "ImportReport",
    "License",
    "LicenseStatus",
    "LicenseType",
    "LicenseUse",
    "did_document",
    "issuer_did",
    "license_attach",
    "license_expiry_sweep",
    "license_for_material",
    "license_import",
    "license_issue",
    "license_reinstate",
    "license_revoke",
    "license_suspend",
    "license_types_for_item",
    "license_types_replacing",
    "license_use_record",
    "license_uses_for",
    "license_valid_now",
    "licenses_for_case",
    "licenses_held_by",
    "licenses_visible_to",
    "replaceable_material_keys",
    "signing_key_rotate",
    "validate_credential",
    "verify_license",
]
