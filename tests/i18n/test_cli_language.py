"""`relay-app --lang` and RELAY_LANG: help, usage errors and errors in the chosen language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from relay_app.cli.main import main
from relay_app.config import LANGUAGE_VARIABLE

NBSP = "\u00a0"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)

    def run(*argv: str) -> Outcome:
        capsys.readouterr()
        code = main(["--data-dir", str(tmp_path / "data"), *argv])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


def test_help_in_french(run):
    outcome = run("--lang", "fr", "--help")
    assert outcome.code == 0
    assert outcome.out.startswith(f"usage{NBSP}: relay-app")
    assert "afficher cette aide et quitter" in outcome.out
    assert "Initiative 4 pour 1000" in outcome.out
    assert "show this help" not in outcome.out


def test_help_of_a_subcommand_in_french(run):
    outcome = run("--lang", "fr", "records", "import", "--help")
    assert outcome.code == 0
    assert "arguments positionnels" in outcome.out
    assert "seulement vérifier les lignes" in outcome.out


def test_usage_error_in_french(run):
    outcome = run("--lang", "fr", "records", "list", "planets")
    assert outcome.code == 2
    assert f"erreur{NBSP}: argument KIND{NBSP}: choix invalide{NBSP}: 'planets'" in outcome.err


def test_missing_argument_in_spanish(run):
    outcome = run("--lang", "es", "records", "show", "partners")
    assert outcome.code == 2
    assert "se requieren los siguientes argumentos: ID" in outcome.err


def test_error_in_french(run, tmp_path: Path):
    outcome = run(
        "--lang", "fr", "records", "add", "partners", "--json", str(tmp_path / "absent.json")
    )
    assert outcome.code == 1
    # Compared word by word: the one-line error printer may turn no-break spaces into spaces.
    assert outcome.err.split() == "Erreur : absent.json : fichier introuvable.".split()


def test_relay_lang_chooses_spanish(run, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "es")
    outcome = run("codes", "planets")
    assert outcome.code == 1
    assert outcome.err.startswith(
        "Error: Lista de códigos «planets» desconocida; listas conocidas:"
    )
    assert "mostrar esta ayuda y salir" in run("--help").out


def test_the_option_wins_over_the_environment(run, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "es")
    assert "afficher cette aide et quitter" in run("--lang", "fr", "--help").out
    assert "show this help and exit" in run("--lang", "en", "--help").out


def test_english_is_left_as_written(run):
    outcome = run("--lang", "en", "records", "list", "planets")
    assert outcome.code == 2
    assert "error: argument KIND: invalid choice: 'planets'" in outcome.err
