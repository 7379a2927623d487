"""The Simplified Chinese catalog: complete, safe to format, in sync with the source, and actually served.

English needs no catalog: the msgids are English, so English pages show them unchanged.
Update the catalog after changing marked strings with (from ``src/tongban``)::

    ../../.venv/bin/tongban makemessages -l zh_Hans --no-obsolete --no-location --ignore 'tests/*'
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

import tongban

PACKAGE_DIR = Path(tongban.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
CATALOG = Path("zh_Hans", "LC_MESSAGES", "django.po")
MAKEMESSAGES = "tongban makemessages -l zh_Hans --no-obsolete --no-location --ignore 'tests/*' (run in src/tongban)"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")  # what makemessages runs

# printf-style placeholders (%(name)s, %s, %d, %%) and str.format ones ({name}, {0}).
_PRINTF = re.compile(r"%(?P<name>\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{[^{}]*\}")

MessageKey = tuple[str | None, str]  # (msgctxt, msgid); a plural entry is keyed by its msgid and msgid_plural


def _read(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file)


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]  # the header is the entry with an empty msgid


def _forms(text: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text)


def _is_translated(message: Message) -> bool:
    forms = _forms(message.string)
    return bool(forms) and all(forms)


def _key(message: Message) -> MessageKey:
    return (message.context, "\x00".join(_forms(message.id)))


def _placeholders(text: str, flags: set[str]) -> tuple[set[str], list[str]]:
    """Named placeholders (any order), and positional ones (in order: a translation cannot reorder them)."""
    named: set[str] = set()
    positional: list[str] = []
    for match in _PRINTF.finditer(text):
        token = match.group(0)
        if token == "%%":
            continue
        if match.group("name"):
            named.add(token)  # unambiguous, so checked even without the python-format flag
        elif "python-format" in flags:
            positional.append(token)
    if "python-brace-format" in flags:
        for token in _BRACE.findall(text):
            if token.strip("{}").isdigit() or not token.strip("{}"):
                positional.append(token)
            else:
                named.add(token)
    return named, positional


def _placeholder_problems(message: Message) -> list[str]:
    flags = set(message.flags)
    ids = _forms(message.id)
    expected_named: set[str] = set()
    expected_positional: list[str] = []
    for msgid in ids:
        named, positional = _placeholders(msgid, flags)
        expected_named |= named
        expected_positional = max(expected_positional, positional, key=len)
    problems = []
    for index, msgstr in enumerate(_forms(message.string)):
        if not msgstr:
            continue  # reported by the completeness test
        named, positional = _placeholders(msgstr, flags)
        where = f"{ids[0]!r} (form {index})" if len(ids) > 1 else repr(ids[0])
        if missing := expected_named - named:
            problems.append(f"{where}: translation lacks {sorted(missing)}")
        if unknown := named - expected_named:
            problems.append(f"{where}: translation adds {sorted(unknown)}, which the code does not supply")
        if positional != expected_positional:
            problems.append(f"{where}: positional placeholders {positional} differ from {expected_positional}")
    return problems


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    path = LOCALE_DIR / CATALOG
    assert path.is_file(), f"{path} is missing; create it with: {MAKEMESSAGES}"
    return _read(path)


def test_settings_serve_the_package_catalog() -> None:
    assert LOCALE_DIR.resolve() in [Path(path).resolve() for path in settings.LOCALE_PATHS]
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_catalog_is_complete_and_has_no_fuzzy_or_obsolete_entries(catalog: Catalog) -> None:
    entries = _entries(catalog)
    assert entries, "the catalog holds no messages"
    assert str(catalog.locale) == "zh_Hans", "the header's Language should be zh_Hans"
    untranslated = [message.id for message in entries if not _is_translated(message)]
    fuzzy = [message.id for message in entries if message.fuzzy]
    assert untranslated == [], f"{len(untranslated)} messages have no translation"
    assert fuzzy == [], "fuzzy translations are not used at run time; review them and drop the fuzzy flag"
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    assert not catalog.obsolete, f"obsolete entries (#~); regenerate with: {MAKEMESSAGES}"


def test_translations_keep_every_placeholder(catalog: Catalog) -> None:
    problems = [problem for message in _entries(catalog) for problem in _placeholder_problems(message)]
    assert problems == []


def _require_gettext_tools() -> None:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"GNU gettext is not installed ({', '.join(missing)} not on PATH); apt-get install gettext"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must check that the catalog is in sync with the source")
    pytest.skip(reason)


def test_catalog_is_in_sync_with_the_source(catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _require_gettext_tools()
    # makemessages writes next to the sources (templates are turned into temporary .py files), so it runs on
    # a copy; without the committed catalog there, the result is exactly what the source marks today.
    copy = tmp_path / "tongban"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    (copy / CATALOG.parent).mkdir(parents=True, exist_ok=True)
    (copy / "locale" / CATALOG).unlink(missing_ok=True)
    monkeypatch.chdir(copy)
    # LOCALE_PATHS names the real locale folder; point it at the copy so nothing outside tmp_path is written.
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            no_obsolete=True,
            no_location=True,
            ignore_patterns=["tests/*"],
            verbosity=0,
            stdout=StringIO(),
        )
    generated = {_key(message) for message in _entries(_read(copy / "locale" / CATALOG))}
    committed = {_key(message) for message in _entries(catalog)}
    missing = sorted(generated - committed, key=str)
    stale = sorted(committed - generated, key=str)
    assert missing == [], f"marked for translation in the source but missing from the catalog; run {MAKEMESSAGES}"
    assert stale == [], f"in the catalog but no longer in the source; run {MAKEMESSAGES}"


@pytest.fixture
def compiled_catalog(tmp_path: Path) -> Iterator[Path]:
    """Serve the committed .po, compiled afresh, rather than whatever .mo the checkout last compiled."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    # Changing LOCALE_PATHS also empties Django's cache of loaded translations, on the way in and out.
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("compile_translations", quiet=True)
        assert (locale / CATALOG).with_suffix(".mo").is_file()
        yield locale


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalog")
@pytest.mark.parametrize("accept_language", [None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"])
def test_pages_are_in_chinese_by_default(client: Client, accept_language: str | None) -> None:
    response = client.get("/", headers={"Accept-Language": accept_language} if accept_language else None)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    for text in ("通办", "一网通办", "跳到主要内容", "首页", "登录"):
        assert text in page
    for text in ("Skip to main content", "One-stop government services", "Log in"):
        assert text not in page


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalog")
@pytest.mark.parametrize("accept_language", ["en", "en-US,en;q=0.9"])
def test_pages_are_in_english_on_request(client: Client, accept_language: str) -> None:
    response = client.get("/", headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for text in ("Tongban", "One-stop government services", "Skip to main content", "Home", "Log in"):
        assert text in page
    for text in ("一网通办", "跳到主要内容", "登录"):
        assert text not in page
