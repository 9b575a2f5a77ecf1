"""`relay-app enroll`, `sync` and `conflicts` against a real server, run in-process."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
import requests

from relay_app.cli.main import main
from relay_app.config import resolve_paths
from relay_app.services import open_services
from tests.central.harness import Central
from tests.sync.conftest import REGIONS
from tests.sync.local_http import LocalHttpServer, Reply, Request
from tests.sync.records import partner


def _run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _add_partner(data_dir: Path, **values: object) -> str:
    with open_services(resolve_paths(data_dir)) as services:
        return services.records("partners").create(partner(1, **values)).id


def _edit(data_dir: Path, record_id: str, **values: object) -> None:
    with open_services(resolve_paths(data_dir)) as services:
        services.records("partners").update(record_id, values)


def test_enroll_then_sync_prints_a_summary_and_exits_zero(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "laptop"
    code, out, err = _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                          central.relay(REGIONS), "--name", "Field laptop")
    assert code == 0, err
    assert "Test relay" in out
    credentials = data_dir / "credentials.json"
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
    # Kept under the server's id, not its address (see test_server_identity.py).
    server_id = requests.get(f"{central.url}/api/v1/server", timeout=10).json()["server_id"]
    assert list(json.loads(credentials.read_text()).keys()) == [f"server:{server_id}"]

    _add_partner(data_dir)
    code, out, err = _run(capsys, data_dir, "sync")
    assert (code, err) == (0, "")
    assert "Sending changes" in out and "Sent:" in out

    code, out, _err = _run(capsys, data_dir, "sync", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["idle"] and summary["in_sync"]


def test_sync_without_enrolment_or_server_fails_with_one_line(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(capsys, tmp_path / "new", "sync")
    assert code == 1 and "not enrolled" in err and len(err.strip().splitlines()) == 1

    data_dir = tmp_path / "laptop"
    assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                central.relay(REGIONS))[0] == 0
    code, _out, err = _run(capsys, data_dir, "enroll", "--server", central.url, "--code", "AAAA-BBBB")
    assert code == 1 and "code" in err and len(err.strip().splitlines()) == 1

    central.server.stop()
    code, _out, err = _run(capsys, data_dir, "--lang", "fr", "sync")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_conflicts_are_listed_shown_and_resolved_from_the_command_line(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for data_dir in (first, second):
        assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                    central.relay(REGIONS))[0] == 0
    record_id = _add_partner(first)
    assert _run(capsys, first, "sync")[0] == 0
    assert _run(capsys, second, "sync")[0] == 0
    _edit(first, record_id, city="Nîmes")
    _edit(second, record_id, city="Sète")
    assert _run(capsys, first, "sync")[0] == 0

    code, out, err = _run(capsys, second, "sync")
    assert code == 1 and "conflict" in err and "Conflicts:" in out

    code, out, _err = _run(capsys, second, "conflicts", "list", "--json")
    [conflict] = json.loads(out)
    assert (conflict["field"], conflict["mine"], conflict["theirs"]) == ("city", "Sète", "Nîmes")
    code, out, _err = _run(capsys, second, "conflicts", "show", str(conflict["id"]))
    assert code == 0 and "Sète" in out and "Nîmes" in out

    code, _out, err = _run(capsys, second, "conflicts", "resolve", str(conflict["id"]), "--value", "Sète ")
    assert code == 1 and "JSON" in err  # not JSON: nothing changes
    code, _out, err = _run(capsys, second, "conflicts", "resolve", str(conflict["id"]),
                           "--value", '"Agde"')
    assert code == 0, err
    assert _run(capsys, second, "conflicts", "list")[1].strip() == "No conflicts."
    assert _run(capsys, second, "sync")[0] == 0
    assert _run(capsys, first, "sync")[0] == 0
    code, out, _err = _run(capsys, first, "records", "show", "partners", record_id, "--json")
    assert json.loads(out)["city"] == "Agde"


def _add_poster(data_dir: Path) -> None:
    from relay_app.services.attachments import AttachmentStore
    from relay_app.services.record_files import RecordFileService

    paths = resolve_paths(data_dir)
    with open_services(paths) as services:
        owner = services.records("partners").create(partner(2)).id
        files = RecordFileService(services.database, AttachmentStore(paths.attachments), None)
        stored = files.store.put_bytes(os.urandom(40_000))
        files.link("partners", owner, "poster", stored, "image/jpeg", filename="affiche.jpg")


def test_the_data_saver_and_the_files_options(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "laptop"
    assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                central.relay(REGIONS))[0] == 0
    code, out, err = _run(capsys, data_dir, "sync", "--data-saver", "on")
    assert (code, err) == (0, "") and "Data saver on" in out
    _add_poster(data_dir)

    # Records go; the file waits, and that is no failure.
    code, out, err = _run(capsys, data_dir, "sync")
    assert (code, err) == (0, "")
    assert re.search(r"Files waiting:\s+1 \(held back by the data saver\)", out)
    code, out, _err = _run(capsys, data_dir, "sync", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["files_held_back"] and summary["files_pending"] == 1

    code, out, _err = _run(capsys, data_dir, "sync", "--no-files", "--json")
    assert code == 0 and json.loads(out)["files_uploaded"] == 0
    code, out, err = _run(capsys, data_dir, "sync", "--files")
    assert (code, err) == (0, "") and re.search(r"Files sent:\s+1", out) and "Sending files" in out

    code, out, _err = _run(capsys, data_dir, "sync", "--data-saver", "off", "--json")
    assert code == 0 and json.loads(out) == {"data_saver": False}
    code, _out, err = _run(capsys, data_dir, "sync", "--files", "--no-files")
    assert code == 2 and "--no-files" in err


def test_quiet_prints_nothing_on_success_and_only_the_reason_on_failure(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--quiet` used to print the whole summary anyway; a cron job then mailed it every time."""
    data_dir = tmp_path / "laptop"
    assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                central.relay(REGIONS))[0] == 0
    _add_partner(data_dir)
    assert _run(capsys, data_dir, "sync", "--quiet") == (0, "", "")
    assert _run(capsys, data_dir, "sync", "--quiet") == (0, "", "")  # the idle check, too

    def login_page(_request: Request) -> Reply:
        return Reply(200, b"<html><body>Sign in to Hotel Wi-Fi</body></html>", {"Content-Type": "text/html"})

    with LocalHttpServer(login_page) as wifi:
        # The address is asked who it is before any token goes there: the login page answers.
        code, out, err = _run(capsys, data_dir, "sync", "--quiet", "--server", wifi.url)
    assert (code, out) == (1, "")
    assert "sign in to the Wi-Fi" in err and len(err.strip().splitlines()) == 1
    assert wifi.paths() == ["/api/v1/server"]

    central.server.stop()
    code, out, err = _run(capsys, data_dir, "sync", "--quiet")
    assert (code, out) == (1, "") and "could not be reached" in err
