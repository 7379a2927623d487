"""The offline verifier and bulk import on the command line (`tongban license ...`)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext

from tongban.licenses.models import License
from tongban.licenses.public import license_issue, license_revoke
from tongban.licenses.tests.factories import FIELDS, LicenseTypeFactory, holder, staff_of

pytestmark = pytest.mark.django_db


def _issue() -> License:
    kind = LicenseTypeFactory()
    return license_issue(license_type=kind, holder=holder(), fields=FIELDS, case_ref="C-1", actor=staff_of(kind))


def _cli(*args: str) -> tuple[int, dict[str, object]]:
    out = StringIO()
    try:
        call_command("license", *args, stdout=out)
        code = 0
    except CommandError as error:
        code = error.returncode
    return code, json.loads(out.getvalue())


def test_cli_verifies_offline_from_the_cache(tmp_path: Path) -> None:
    item = _issue()
    file = tmp_path / "license.json"
    file.write_text(json.dumps(item.credential, ensure_ascii=False))
    empty_cache = {"valid": False, "reasons": ["unknown_key", "status_unavailable"]}
    assert _cli("verify", str(file), "--json", "--offline") == (1, empty_cache)
    assert _cli("cache", "refresh", "--local", "--json")[0] == 0
    assert _cli("verify", str(file), "--json", "--offline") == (0, {"valid": True, "reasons": []})
    license_revoke(license=item, actor=None, reason="x")
    assert _cli("verify", str(file), "--json", "--offline")[1]["valid"] is True  # the cache is what it is
    _cli("cache", "refresh", "--local", "--json")
    assert _cli("verify", str(file), "--json", "--offline") == (1, {"valid": False, "reasons": ["revoked"]})
    tampered = json.loads(file.read_text())
    tampered["credentialSubject"]["fields"]["name"] = "李四小吃店"
    file.write_text(json.dumps(tampered, ensure_ascii=False))
    assert "signature" in _cli("verify", str(file), "--json", "--offline")[1]["reasons"]  # type: ignore[operator]
    file.write_text("{not json")
    assert _cli("verify", str(file), "--json", "--offline") == (1, {"valid": False, "reasons": ["malformed:not_json"]})


def test_cli_without_network_falls_back_to_the_cache(tmp_path: Path) -> None:
    item = _issue()
    _cli("cache", "refresh", "--local", "--json")
    file = tmp_path / "license.json"
    file.write_text(json.dumps(item.credential, ensure_ascii=False))
    code, result = _cli("verify", str(file), "--json")  # zwfw.example.gov.cn is not reachable from tests
    assert code == 0 and result["valid"] is True


def test_cli_import_with_report(tmp_path: Path) -> None:
    kind = LicenseTypeFactory()
    people = [holder() for _ in range(3)]
    file = tmp_path / "paper.csv"
    lines = ["holder,name,address,number"] + [f"{p.username},店{n},广州,P-{n}" for n, p in enumerate(people)]
    file.write_text("\n".join([*lines, "ghost,x,y,"]) + "\n", encoding="utf-8")
    code, report = _cli("import", str(file), "--type", kind.code, "--json")
    assert code == 1
    assert report == {
        "total": 4,
        "issued": 3,
        "failed": 1,
        "errors": [{"row": 4, "errors": {"holder": gettext("no such holder")}}],
    }


def test_cli_rotate_key_keeps_old_licenses_verifying(tmp_path: Path) -> None:
    old = _issue()
    code, rotated = _cli("rotate-key", "--json")
    assert code == 0 and str(rotated["key_id"]).startswith("z6Mk")
    new = _issue()
    assert new.credential["proof"]["verificationMethod"].endswith(str(rotated["key_id"]))
    _cli("cache", "refresh", "--local", "--json")
    for item in (old, new):
        file = tmp_path / f"{item.pk}.json"
        file.write_text(json.dumps(item.credential))
        assert _cli("verify", str(file), "--json", "--offline") == (0, {"valid": True, "reasons": []})
