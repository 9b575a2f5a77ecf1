"""The developer pseudo-locale marks every translated text and keeps placeholders working."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from relay_app import formatting
from relay_app.i18n import (
    PSEUDO_END,
    PSEUDO_LANGUAGE,
    PSEUDO_START,
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    is_pseudo_language,
    ngettext,
    pgettext,
    pseudo_translate,
    set_language,
    system_language,
)
from tests.i18n.catalogs import REPO, TEMPLATE, catalog_keys, read_catalog


def test_pseudo_catalog_wraps_and_accents_a_known_message():
    assert set_language(PSEUDO_LANGUAGE) == PSEUDO_LANGUAGE
    assert _("Enter a number.") == "[!! Éñţéŕ å ñümbéŕ. !!]"


def test_pseudo_translation_keeps_placeholders_markup_and_mnemonics():
    text = pseudo_translate("&Save {count} records to <b>{file}</b> as %(kind)s, {{literally}}")
    assert text.startswith(PSEUDO_START) and text.endswith(PSEUDO_END)
    assert "&S" in text  # Alt+S still works
    for kept in ("{count}", "{file}", "<b>", "</b>", "%(kind)s", "{{"):
        assert kept in text
    assert "records" not in text  # the words themselves are accented
    assert text.format(count=3, file="x.csv").count("x.csv") == 1


def test_every_template_message_is_pseudo_translated_with_its_plural_and_context():
    set_language(PSEUDO_LANGUAGE)
    one = ngettext("{count} record", "{count} records", 1).format(count=1)
    many = ngettext("{count} record", "{count} records", 7).format(count=7)
    assert one.startswith(PSEUDO_START) and "1" in one
    assert many.startswith(PSEUDO_START) and "7" in many and one != many
    assert pgettext("unit", "{value} t C/ha/yr").startswith(PSEUDO_START)


def test_formatted_messages_still_format_under_the_pseudo_locale():
    set_language(PSEUDO_LANGUAGE)
    with pytest.raises(ValueError) as refused:
        formatting.parse_decimal("twelve")
    assert str(refused.value).startswith(PSEUDO_START)
    assert "twelve" in str(refused.value) and "1,234.5" in str(refused.value)


def test_pseudo_locale_is_for_developers_only(monkeypatch: pytest.MonkeyPatch):
    assert PSEUDO_LANGUAGE not in SUPPORTED_LANGUAGES
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", PSEUDO_LANGUAGE)
    assert system_language() in SUPPORTED_LANGUAGES


def test_formats_and_names_stay_english_beneath_the_pseudo_locale():
    set_language(PSEUDO_LANGUAGE)
    assert is_pseudo_language()
    assert current_language() == "en"
    assert formatting.format_percent(0.004) == "0.4%"
    set_language("fr")
    assert not is_pseudo_language()


def test_the_script_writes_a_catalog_msgfmt_accepts(tmp_path: Path):
    output = tmp_path / "x-pseudo.po"
    result = subprocess.run(
        [sys.executable, "scripts/pseudo_locale.py", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    with output.open("rb") as handle:
        written = read_po(handle)
    assert catalog_keys(written) == catalog_keys(read_catalog(TEMPLATE))
    assert all(
        str(message.string if isinstance(message.string, str) else message.string[0]).startswith(
            PSEUDO_START
        )
        for message in written
        if message.id
    )
    msgfmt = shutil.which("msgfmt")
    if msgfmt is not None:
        check = subprocess.run(
            [msgfmt, "--check", "-o", str(tmp_path / "x.mo"), str(output)],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr


def test_pseudo_translation_leaves_surrounding_newlines_in_place():
    assert pseudo_translate("%(prog)s: error\n") == "[!! %(prog)s: éŕŕöŕ !!]\n"
    assert pseudo_translate("  ") == "  "
