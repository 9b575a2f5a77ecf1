"""`relay-central`: the administrator's commands, and `serve` as a real process."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from relay_central.cli import main
from relay_central.db import Database
from relay_central.migrate import current_revision, head_revision
from tests.central.harness import Central, forum, new_id


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_db_upgrade_and_current(database_url: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    common = ("--db", database_url, "--data-dir", str(tmp_path))
    code, out, _err = _run(capsys, "db", "current", *common)
    assert code == 0 and "empty" in out
    code, out, _err = _run(capsys, "db", "upgrade", *common)
    assert code == 0 and head_revision() in out
    database = Database(database_url)
    try:
        assert current_revision(database) == head_revision()
    finally:
        database.dispose()


def test_add_relay_code_enrols_a_device_and_revoke_stops_it(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ("--db", central.settings.database_url, "--data-dir", str(central.settings.data_dir))
    code, out, _err = _run(capsys, "add-relay", "--name", "Awa Diop", "--email",
                           "awa@example.org", "--region", "sub_saharan_africa",
                           "--region", "northern_africa", *common)
    assert code == 0
    enrolment_code = out.strip().rsplit(" ", 1)[1]
    device_id = str(uuid.uuid4())
    enrolled = requests.post(
        f"{central.url}/api/v1/enroll",
        json={"code": enrolment_code, "device_id": device_id, "device_name": "Dakar laptop"},
        timeout=10,
    )
    assert enrolled.status_code == 201
    token = enrolled.json()["token"]
    headers = {"Authorization": f"Bearer {token}", "Relay-Protocol": "1"}
    meta = f"{central.url}/api/v1/sync/meta"
    assert requests.get(meta, headers=headers, timeout=10).status_code == 200

    code, out, _err = _run(capsys, "list-relays", *common)
    listed = [json.loads(line) for line in out.splitlines()]
    assert listed == [{"name": "Awa Diop", "email": "awa@example.org",
                       "regions": ["northern_africa", "sub_saharan_africa"], "active": True,
                       "devices": 1}]

    code, out, _err = _run(capsys, "revoke", "--device", device_id, *common)
    assert code == 0 and device_id in out
    assert requests.get(meta, headers=headers, timeout=10).status_code == 401

    code, out, _err = _run(capsys, "revoke", "--email", "AWA@example.org", *common)
    assert code == 0
    code, out, _err = _run(capsys, "list-relays", *common)
    assert json.loads(out)["active"] is False


def test_admin_mistakes_are_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = ("--data-dir", str(tmp_path))
    code, _out, err = _run(capsys, "add-relay", "--name", "X", "--email", "x@example.org",
                           "--region", "atlantis", *common)
    assert code == 1 and "atlantis" in err and "western_europe" in err
    code, _out, err = _run(capsys, "revoke", "--email", "nobody@example.org", *common)
    assert code == 1 and "nobody@example.org" in err


def test_prune_command_reports_and_old_cursors_resync(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    device = central.device(["western_europe"])
    record = new_id()
    device.push_one("forums", record, forum())
    _items, cursor = device.pull_all()
    device.push_one("forums", record, op="delete", base_version=1)
    common = ("--db", central.settings.database_url, "--data-dir", str(central.settings.data_dir))

    code, out, _err = _run(capsys, "prune", *common)  # default retention: nothing is that old
    assert code == 0 and json.loads(out)["tombstones"] == 0
    assert device.pull(cursor)["resync"] is False

    code, out, _err = _run(capsys, "prune", "--older-than-days", "0", *common)
    report = json.loads(out)
    assert report["tombstones"] == 1 and report["versions"] == 0
    assert device.pull(cursor)["resync"] is True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_migrates_serves_and_logs_json_lines(database_url: str, tmp_path: Path) -> None:
    executable = shutil.which("relay-central", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "relay_central.cli"]
    port = _free_port()
    process = subprocess.Popen(
        [*command, "serve", "--db", database_url, "--data-dir", str(tmp_path / "data"),
         "--port", str(port), "--enrolment-attempts", "1", "--forwarded-allow-ips", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "relay-central serve did not start"
                time.sleep(0.1)
        assert health.status_code == 200
        # A trusted proxy names the client; the enrolment limit and the log use that address.
        forwarded = {"X-Forwarded-For": "198.51.100.4"}
        body = {"code": "AAAA-BBBB-CCCC-DDDD", "device_id": "laptop", "device_name": "Laptop"}
        statuses = [requests.post(f"http://127.0.0.1:{port}/api/v1/enroll", json=body,
                                  headers=forwarded, timeout=10).status_code for _ in range(2)]
        assert statuses == [403, 429]
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    requests_logged = [line for line in lines if line.get("path") == "/healthz"]
    assert requests_logged and requests_logged[0]["status"] == 200
    assert {"time", "level", "method", "duration_ms", "relay"} <= set(requests_logged[0])
    assert requests_logged[0]["client"] == "127.0.0.1"
    enrolments = [(line["status"], line["client"]) for line in lines
                  if line.get("path") == "/api/v1/enroll"]
    assert enrolments == [(403, "198.51.100.4"), (429, "198.51.100.4")]
    assert (tmp_path / "data" / "attachments").is_dir()
