"""The console script as a user runs it: a real subprocess of .venv/bin/tongban."""

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TONGBAN = shutil.which("tongban", path=str(Path(sys.executable).parent)) or "tongban"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run([TONGBAN, *args], capture_output=True, text=True, env=environment, timeout=120, check=False)


def test_help_lists_the_tongban_commands():
    result = _run("--help")
    assert result.returncode == 0
    for command in ("run", "serve", "worker", "clock", "migrate", "demo", "health", "settings"):
        assert f"\n  {command} " in result.stdout, command


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        "check", "--deploy", "--fail-level", "WARNING",
        TONGBAN_ENV="production", SECRET_KEY=secrets.token_urlsafe(50), TONGBAN_ALLOWED_HOSTS="tongban.example.cn",
        TONGBAN_DATA_DIR=str(tmp_path), TONGBAN_PII_KEY=base64.b64encode(os.urandom(32)).decode(),
        TONGBAN_LICENSE_SIGNING_KEY=os.urandom(32).hex(),
        TONGBAN_OIDC_RSA_KEY=rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_json_lists_variables_without_secret_defaults():
    result = _run("settings", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["DATABASE_URL"]["default"].startswith("sqlite:///")
    assert rows["SECRET_KEY"] == {
        "name": "SECRET_KEY", "default": None, "required_when": "production", "doc": rows["SECRET_KEY"]["doc"]
    }  # fmt: skip


@pytest.mark.parametrize("command", ["demo", "health"])
def test_json_output_is_one_document(tmp_path, command):
    # A fresh embedded database in a temporary data folder, whatever DATABASE_URL the test run uses.
    migrated = _run("migrate", "--noinput", TONGBAN_DATA_DIR=str(tmp_path), DATABASE_URL="")
    assert migrated.returncode == 0, migrated.stderr
    result = _run(command, "--json", TONGBAN_DATA_DIR=str(tmp_path), DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)
