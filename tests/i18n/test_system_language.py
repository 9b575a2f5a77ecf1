"""At first start the language comes from the operating system's locale."""

from __future__ import annotations

import pytest

from relay_app.cli.main import main
from relay_app.config import LANGUAGE_VARIABLE
from relay_app.i18n import (
    DEFAULT_LANGUAGE,
    current_language,
    normalise_language,
    set_language,
    system_language,
)

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@pytest.fixture
def system(monkeypatch: pytest.MonkeyPatch):
    """Set the locale variables as a desktop session would; the others are cleared."""
    for variable in (*LOCALE_VARIABLES, LANGUAGE_VARIABLE):
        monkeypatch.delenv(variable, raising=False)

    def configure(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return configure


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "es_SN.UTF-8"}, "es"),
        ({"LANG": "fr_SN.UTF-8", "LC_ALL": "es_419.UTF-8"}, "es"),  # LC_ALL overrides LANG
        ({"LC_MESSAGES": "fr_BE", "LANG": "en_GB.UTF-8"}, "fr"),  # messages follow LC_MESSAGES
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "es:fr"}, "es"),  # GNU priority list
        ({"LANG": "wo_SN.UTF-8"}, DEFAULT_LANGUAGE),  # Wolof: not translated yet, so English
    ],
)
def test_system_language_from_the_locale_variables(system, variables, expected: str):
    system(**variables)
    assert system_language() == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr_FR.UTF-8", "fr"),
        ("es-419", "es"),
        ("FR", "fr"),
        ("pt_BR", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_language(code: str | None, expected: str | None):
    assert normalise_language(code) == expected


def test_unknown_language_falls_back_to_english():
    assert set_language("de") == DEFAULT_LANGUAGE
    assert current_language() == DEFAULT_LANGUAGE


def test_command_line_follows_the_system_when_nothing_is_chosen(
    system, capsys: pytest.CaptureFixture[str]
):
    system(LANG="fr_CA.UTF-8")
    assert main(["--help"]) == 0
    assert "afficher cette aide et quitter" in capsys.readouterr().out
    assert current_language() == "fr"
