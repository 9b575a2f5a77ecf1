"""The catalogs match the code, are complete in French and Spanish, and compile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.i18n.catalogs import (
    LANGUAGES,
    TEMPLATE,
    TRANSLATED,
    MessageKey,
    catalog_keys,
    catalog_path,
    extracted_keys,
    mnemonics,
    placeholders,
    read_catalog,
    translated_messages,
)

REFRESH = "the catalogs are stale: run `./dev i18n`, then translate what it added"


def _listing(keys: set[MessageKey]) -> str:
    return "\n".join(sorted(repr(key) for key in keys))


def test_template_matches_the_messages_in_the_code():
    in_code = extracted_keys()
    in_template = catalog_keys(read_catalog(TEMPLATE))
    assert in_code - in_template == set(), f"{REFRESH}; missing from messages.pot:\n" + _listing(
        in_code - in_template
    )
    assert in_template - in_code == set(), f"{REFRESH}; no longer in the code:\n" + _listing(
        in_template - in_code
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_holds_exactly_the_template_messages(language: str):
    expected = catalog_keys(read_catalog(TEMPLATE))
    actual = catalog_keys(read_catalog(catalog_path(language), language))
    assert expected - actual == set(), f"{REFRESH}; missing in {language}:\n" + _listing(
        expected - actual
    )
    assert actual - expected == set(), f"{REFRESH}; extra in {language}:\n" + _listing(
        actual - expected
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str):
    fuzzy = [message.id for message in translated_messages(language) if message.fuzzy]
    empty = [
        message.id
        for message in translated_messages(language)
        if not message.string
        or (isinstance(message.string, tuple | list) and not all(message.string))
    ]
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy}"
    assert empty == [], f"untranslated in {language}: {empty}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_fill_every_form(language: str):
    catalog = read_catalog(catalog_path(language), language)
    plurals = [message for message in catalog if message.pluralizable]
    assert plurals, "the catalog is expected to hold plural messages"
    for message in plurals:
        assert len(message.string) == catalog.num_plurals, message.id


def _singular_placeholders(message_id: str) -> set[str] | None:
    try:
        return placeholders(message_id)
    except ValueError:
        return None  # braces that are text, not a format string


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_the_same_in_every_translation(language: str):
    problems = []
    for message in translated_messages(language):
        if isinstance(message.id, str):
            expected = _singular_placeholders(message.id)
            pairs = [(expected, message.string)]
        else:
            singular, plural = (_singular_placeholders(text) for text in message.id)
            forms = list(message.string)
            # The last form is the general plural; earlier forms may leave out the count
            # only where English does ("Delete this record?").
            pairs = [(plural, forms[-1])] + [(None, form) for form in forms[:-1]]
            allowed = (singular or set()) | (plural or set())
            for form in forms[:-1]:
                if form and not placeholders(form) <= allowed:
                    problems.append((message.id, form))
        for expected, translation in pairs:
            if expected is None or not translation:
                continue
            try:
                found = placeholders(translation)
            except ValueError:
                found = {"<malformed braces>"}
            if found != expected:
                problems.append((message.id, translation))
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_menu_mnemonics_survive_translation(language: str):
    lost = [
        (message.id, message.string)
        for message in translated_messages(language)
        if isinstance(message.id, str)
        and isinstance(message.string, str)
        and message.string
        and mnemonics(message.id) != mnemonics(message.string)
    ]
    assert lost == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_check_accepts_the_catalog(language: str, tmp_path: Path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed (Debian package `gettext`; `./dev test` installs it)")
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "messages.mo"), str(catalog_path(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_msgfmt_check_accepts_the_template(tmp_path: Path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed (Debian package `gettext`; `./dev test` installs it)")
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "template.mo"), str(TEMPLATE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_no_compiled_catalog_is_kept_in_the_tree():
    assert sorted(TEMPLATE.parent.rglob("*.mo")) == []
