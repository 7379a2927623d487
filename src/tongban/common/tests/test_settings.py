"""Every environment variable is declared once, documented, and has a default or a rule."""

import importlib
import subprocess
import sys

import pytest
from django.conf import settings

from tongban.settings import env


def test_every_variable_is_documented_and_has_a_default_or_is_required():
    assert env.REGISTRY, "settings/base.py declares its variables through settings.env"
    for var in env.REGISTRY.values():
        assert len(var.doc) >= 20, f"{var.name} needs a real description"
        assert var.default is not None or var.required_when, f"{var.name}: no default and never required"
        assert not (var.secret and var.default), f"{var.name} is secret and must not have a default"


def test_base_reads_environment_only_through_the_registry():
    source = (settings.PACKAGE_DIR / "settings" / "base.py").read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source


def test_declare_refuses_a_variable_without_default_or_rule():
    with pytest.raises(Exception, match="needs a default"):
        env.declare("TONGBAN_NOTHING", doc="a variable nobody can set correctly", environ={})


def test_required_variable_missing_in_production_is_a_clear_error():
    with pytest.raises(Exception, match="SECRET_KEY must be set"):
        env.declare("SECRET_KEY", doc="signing key", required_when="production", environ={}, active_env="production")


def _settings_in(environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import tongban.settings.base as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **environ},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_requires_secret_and_hosts_and_turns_on_transport_security():
    missing = _settings_in({"TONGBAN_ENV": "production"})
    assert missing.returncode != 0 and "SECRET_KEY must be set" in missing.stderr
    production = {
        "TONGBAN_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "TONGBAN_ALLOWED_HOSTS": "tongban.example.cn",
        "TONGBAN_PII_KEY": "k" * 44,
        "TONGBAN_OIDC_RSA_KEY": "-----BEGIN PRIVATE KEY-----",
        "TONGBAN_LICENSE_SIGNING_KEY": "ab" * 32,
    }
    without_pii_key = _settings_in({k: v for k, v in production.items() if k != "TONGBAN_PII_KEY"})
    assert without_pii_key.returncode != 0 and "TONGBAN_PII_KEY must be set" in without_pii_key.stderr
    ok = _settings_in(production)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["False", "True", "31536000"]
    debug = _settings_in(
        {
            "TONGBAN_ENV": "production",
            "SECRET_KEY": "x" * 64,
            "TONGBAN_ALLOWED_HOSTS": "a.cn",
            "TONGBAN_DEBUG": "1",
        }
    )
    assert debug.returncode != 0 and "TONGBAN_DEBUG must be false" in debug.stderr


def test_dev_defaults_use_embedded_sqlite_in_wal_mode():
    base = importlib.import_module("tongban.settings.base")
    config = base._database("sqlite:///tmp/x.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    pg = base._database("postgres://u@127.0.0.1:5432/db")
    assert pg["CONN_HEALTH_CHECKS"] is True and pg["CONN_MAX_AGE"] > 0
    with pytest.raises(Exception, match="only SQLite and PostgreSQL"):
        base._database("mysql://u@h/db")


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
