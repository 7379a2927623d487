"""The whole test run's log, checked for personal data.

Every log record of the run — all loggers, DEBUG and up (django.request, django.db.backends, our structured
events, third-party libraries) — is written to one file through the production pipeline: the same filters
(request id, :class:`~tongban.common.logging.PersonalDataRedactionFilter`) and the JSON formatter. At the end
of the session the file is grepped for full resident ID numbers and mainland mobile numbers
(:func:`tongban.common.logging.find_personal_data`); any hit fails the run and the offending lines are shown
masked. ``TONGBAN_TEST_LOG_FILE`` chooses the file (default: a fresh one under the system temp directory);
``TONGBAN_TEST_LOG_RAW=1`` leaves the redaction filter out, to find what the code itself logs (stricter: the
filter is only the last line of defence).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pytest

_LOG_FILE = pytest.StashKey[Path]()
_HANDLER = pytest.StashKey[logging.Handler]()
_FINDINGS = pytest.StashKey[list[tuple[int, str, str]]]()
_SHOWN = 20


def _log_path() -> Path:
    chosen = os.environ.get("TONGBAN_TEST_LOG_FILE")
    if chosen:
        return Path(chosen)
    return Path(tempfile.mkdtemp(prefix="tongban-test-log-")) / "run.log"


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # Django is set up by now (pytest-django), so settings.LOGGING has been applied and is not applied again.
    # The root logger goes to DEBUG here, before pytest's logging plugin first saves and restores its level;
    # pytest's own capture (the ``log_level`` ini option) stays at WARNING, so reports are not flooded.
    from django.conf import settings

    from tongban.common.logging import JsonFormatter, PersonalDataRedactionFilter, RequestIdFilter

    path = _log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    if os.environ.get("TONGBAN_TEST_LOG_RAW") != "1":
        handler.addFilter(PersonalDataRedactionFilter())
    root = logging.getLogger()
    for existing in root.handlers:  # the console keeps showing what it showed before (warnings and up)
        if existing.get_name() == "console":
            existing.setLevel(max(existing.level, logging.WARNING))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in settings.LOGGING.get("loggers", {}):
        logging.getLogger(name).setLevel(logging.DEBUG)
    config.stash[_LOG_FILE] = path
    config.stash[_HANDLER] = handler


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    handler = session.config.stash.get(_HANDLER, None)
    if handler is None:
        return
    from tongban.common.logging import find_personal_data

    logging.getLogger().removeHandler(handler)
    handler.close()
    with session.config.stash[_LOG_FILE].open(encoding="utf-8", errors="replace") as lines:
        findings = find_personal_data(lines)
    session.config.stash[_FINDINGS] = findings
    if findings and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    path = config.stash.get(_LOG_FILE, None)
    if path is None:
        return
    findings = config.stash.get(_FINDINGS, [])
    size = path.stat().st_size if path.exists() else 0
    if not findings:
        terminalreporter.write_line(f"log of the run: {path} ({size} bytes), no ID number or mobile number in it")
        return
    terminalreporter.section("personal data in the log of the run", sep="=", red=True, bold=True)
    terminalreporter.write_line(f"{len(findings)} line(s) of {path} hold a full ID number or mobile number:")
    for number, kinds, masked in findings[:_SHOWN]:
        terminalreporter.write_line(f"  line {number} [{kinds}]: {masked[:400]}")
    if len(findings) > _SHOWN:
        terminalreporter.write_line(f"  … and {len(findings) - _SHOWN} more")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test gets a fresh database, so nothing cached from an earlier test's database may answer it."""
    from django.core.cache import cache

    from tongban.common.public import forget_everything_remembered

    cache.clear()
    forget_everything_remembered()  # this process's memories (snapshot rows, verified sessions, item versions)
