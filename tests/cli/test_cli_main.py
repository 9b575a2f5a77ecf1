"""Global options, exit codes, status, code lists and the database commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from relay_app import __version__
from relay_app.cli.main import main
from relay_app.i18n import current_language
from tests import factories
from tests.cli.conftest import Cli

RELAY_APP = Path(sys.executable).parent / "relay-app"


def test_version(capsys: pytest.CaptureFixture[str]):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"relay-app {__version__}"


def test_unknown_kind_is_a_usage_error(cli: Cli):
    outcome = cli("records", "list", "planets")
    assert outcome.code == 2
    assert "planets" in outcome.err


def test_missing_arguments_are_a_usage_error(cli: Cli):
    assert cli("records", "show", "partners").code == 2
    assert cli("records", "export", "partners", "--format", "pdf", "-o", "x.pdf").code == 2


def test_bad_json_is_exit_1_with_one_line(cli: Cli, tmp_path: Path):
    path = tmp_path / "record.json"
    path.write_text('{"name": "A",', encoding="utf-8")
    outcome = cli("records", "add", "partners", "--json", str(path))
    assert outcome.code == 1
    assert outcome.err.count("\n") == 1
    assert "record.json" in outcome.err
    assert "JSON" in outcome.err


def test_json_that_is_not_an_object_is_exit_1(cli: Cli, tmp_path: Path):
    path = tmp_path / "records.json"
    path.write_text('[{"name": "A"}]', encoding="utf-8")
    outcome = cli("records", "add", "partners", "--json", str(path))
    assert outcome.code == 1
    assert "object" in outcome.err


def test_missing_json_file_is_exit_1(cli: Cli, tmp_path: Path):
    outcome = cli("records", "add", "partners", "--json", str(tmp_path / "absent.json"))
    assert outcome.code == 1
    assert "absent.json" in outcome.err


def test_status_counts_records_and_pending_changes(cli: Cli, json_file: Callable[[Any], str], data_dir: Path):
    assert cli("records", "add", "forums", "--json", json_file(factories.forum())).code == 0
    report = cli("status", "--json").json()
    assert report["counts"] == {"partners": 0, "practices": 0, "forums": 1, "registrations": 0}
    assert report["pending_changes"] == 1
    assert len(report["device_id"]) == 36
    assert report["schema_revision"]
    assert report["data_dir"] == str(data_dir.resolve())

    text = cli("status").out
    assert report["device_id"] in text
    assert "Forums" in text


def test_data_dir_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("RELAY_DATA_DIR", str(tmp_path / "from-env"))
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "from-env" / "relay.sqlite3").exists()


def test_db_current_then_upgrade(cli: Cli, data_dir: Path):
    before = cli("db", "current")
    assert before.code == 0
    assert "db upgrade" in before.out
    upgraded = cli("db", "upgrade")
    assert upgraded.code == 0
    revision = cli("db", "current").out.strip()
    assert revision
    assert revision in upgraded.out
    assert cli("status", "--json").json()["schema_revision"] == revision


def test_a_file_that_is_not_a_database_is_exit_1(cli: Cli, data_dir: Path):
    data_dir.mkdir(parents=True)
    (data_dir / "relay.sqlite3").write_bytes(b"definitely not SQLite " * 100)
    outcome = cli("status")
    assert outcome.code == 1
    assert outcome.err.count("\n") == 1


def test_codes_lists_every_list_and_one_list(cli: Cli):
    lists = cli("codes", "--json").json()
    names = [item["name"] for item in lists]
    assert "colleges" in names
    assert all(item["count"] > 0 for item in lists)

    colleges = cli("codes", "colleges", "--json").json()
    assert colleges["name"] == "colleges"
    assert {"code", "label"} <= set(colleges["codes"][0])
    assert "research_education" in [entry["code"] for entry in colleges["codes"]]

    table = cli("codes", "colleges")
    assert table.code == 0
    assert "research_education" in table.out


def test_unknown_code_list_is_exit_1(cli: Cli):
    outcome = cli("codes", "planets")
    assert outcome.code == 1
    assert "planets" in outcome.err


def test_language_option_and_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch):
    assert main(["--lang", "fr", "--version"]) == 0
    assert current_language() == "fr"
    monkeypatch.setenv("RELAY_LANG", "es")
    assert cli("codes", "--json").code == 0
    assert current_language() == "es"
    assert cli("--lang", "en", "codes", "--json").code == 0
    assert current_language() == "en"


def test_country_labels_follow_the_language(cli: Cli):
    english = cli("--lang", "en", "codes", "countries", "--json").json()
    french = cli("--lang", "fr", "codes", "countries", "--json").json()
    label = {entry["code"]: entry["label"] for entry in english["codes"]}
    label_fr = {entry["code"]: entry["label"] for entry in french["codes"]}
    assert label["DE"] == "Germany"
    assert label_fr["DE"] == "Allemagne"


# --- the installed command, as a script would run it ------------------------------------


def run_installed(*argv: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "RELAY_DATA_DIR": str(data_dir), "RELAY_LANG": "en"}
    return subprocess.run(
        [str(RELAY_APP), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_installed_command_exit_codes_and_no_traceback(tmp_path: Path):
    data = tmp_path / "data"

    forum = json.dumps(factories.forum(name="Forum de Thiès"), ensure_ascii=False)
    done = run_installed("records", "add", "forums", "--json", "-", data_dir=data, stdin=forum)
    assert done.returncode == 0, done.stderr
    record_id = done.stdout.strip()

    shown = run_installed("records", "show", "forums", record_id, "--json", data_dir=data)
    assert shown.returncode == 0
    assert '"Forum de Thiès"' in shown.stdout

    bad_json = run_installed("records", "add", "forums", "--json", "-", data_dir=data, stdin="{not json")
    assert bad_json.returncode == 1
    assert bad_json.stderr.count("\n") == 1
    assert bad_json.stdout == ""

    missing = run_installed("records", "delete", "forums", "no-such-id", data_dir=data)
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1

    usage = run_installed("records", "list", "planets", data_dir=data)
    assert usage.returncode == 2

    for outcome in (done, shown, bad_json, missing, usage):
        assert "Traceback" not in outcome.stderr


def test_commands_never_load_qt(tmp_path: Path):
    script = (
        "import sys\n"
        "from relay_app.cli.main import main\n"
        f"code = main(['--data-dir', {str(tmp_path)!r}, 'status', '--json'])\n"
        "assert code == 0, code\n"
        "print('qt loaded' if any(m.startswith('PySide6') for m in sys.modules) else 'no qt')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("no qt")
