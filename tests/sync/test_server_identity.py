"""Enrolment over a link that cuts, and a device that knows its server by id, not by address."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from relay_app.cli.main import main
from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.sync.connect import enroll_device, open_engine, stored_server
from relay_app.sync.errors import SyncError
from relay_app.sync.state import SERVER_ID, write_state
from relay_app.sync.wire import API_PREFIX
from relay_central.logging import REQUEST_LOGGER
from relay_central.settings import Settings, load_settings
from tests.central.harness import Central, central_servers
from tests.sync.conftest import REGIONS
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.local_http import LocalHttpServer, Reply, Request, forwarding
from tests.sync.records import partner


@pytest.fixture
def other_central(tmp_path: Path) -> Iterator[Central]:
    """A second, unrelated server (its own database) on another port."""

    def make_settings(**overrides: object) -> Settings:
        return load_settings(
            database_url=f"sqlite+pysqlite:///{tmp_path / 'other.sqlite3'}",
            data_dir=tmp_path / "other", **overrides,
        )

    with central_servers(make_settings) as start:
        yield start()


def _run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _server_id(central: Central) -> str:
    return str(requests.get(f"{central.url}/api/v1/server", timeout=10).json()["server_id"])


def _add_partner(data_dir: Path, number: int = 1) -> None:
    with open_services(resolve_paths(data_dir)) as services:
        services.records("partners").create(partner(number))


def test_enrolment_through_a_link_that_cuts_the_answer_still_enrols(
    central: Central, tmp_path: Path
) -> None:
    """The proxy cuts the first answer, the enrolment's, after the server has spent the code;
    the app asks again with the same code and device id, and the token it gets syncs."""
    data_dir = resolve_paths(tmp_path / "laptop").data_dir
    with open_services(resolve_paths(data_dir)) as services, \
            FaultProxy(central.server.port, Faults(cut_response=1.0, most_cuts=1)) as proxy:
        enrolment = enroll_device(services.database, data_dir, proxy.url, central.relay(REGIONS))
        assert proxy.stats.responses_cut == 1
        assert enrolment.server_id == _server_id(central)
        services.records("partners").create(partner(1))
        summary = open_engine(services.database, data_dir).sync()
    assert summary.in_sync and summary.pushed == 1


def test_credentials_kept_under_the_url_by_an_older_version_stay_valid(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data dir as the version before server ids left it: the token under the server's URL and
    no server id. Its next sync works and moves the token under the server's id."""
    data_dir = tmp_path / "laptop"
    assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                central.relay(REGIONS))[0] == 0
    credentials = data_dir / "credentials.json"
    [token] = json.loads(credentials.read_text()).values()
    credentials.write_text(json.dumps({central.url: token}))
    with open_services(resolve_paths(data_dir)) as services, services.database.write() as session:
        write_state(session, SERVER_ID, None)

    _add_partner(data_dir)
    code, _out, err = _run(capsys, data_dir, "sync")
    assert (code, err) == (0, "")
    assert json.loads(credentials.read_text()) == {f"server:{_server_id(central)}": token}
    localhost = central.url.replace("127.0.0.1", "localhost")
    assert _run(capsys, data_dir, "sync", "--server", localhost)[0] == 0


def test_the_same_server_under_another_address_keeps_the_enrolment(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Enrolled at http://127.0.0.1:PORT, synced with --server http://localhost:PORT: same server
    (its id says so), so the sync works and the new address becomes the default."""
    data_dir = tmp_path / "laptop"
    assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                central.relay(REGIONS))[0] == 0
    localhost = central.url.replace("127.0.0.1", "localhost")
    _add_partner(data_dir)

    code, out, err = _run(capsys, data_dir, "sync", "--server", localhost + "/")
    assert (code, err) == (0, ""), out
    assert localhost in out  # says the new address is now the default
    with open_services(resolve_paths(data_dir)) as services:
        assert stored_server(services.database) == localhost
    _add_partner(data_dir, 2)
    code, _out, err = _run(capsys, data_dir, "sync", "--quiet")
    assert (code, err) == (0, "")


def test_an_address_that_leads_to_another_server_is_named_and_changes_nothing(
    central: Central,
    other_central: Central,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """--server names a second, unrelated server: one clear line (enrolled with which server,
    this address leads to another), exit 1, no token sent there, nothing stored changed."""
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    data_dir = tmp_path / "laptop"
    assert _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                central.relay(REGIONS))[0] == 0
    _add_partner(data_dir)
    credentials = (data_dir / "credentials.json").read_bytes()
    caplog.clear()

    code, _out, err = _run(capsys, data_dir, "sync", "--server", other_central.url)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert central.url in err and other_central.url in err and "different server" in err
    assert (data_dir / "credentials.json").read_bytes() == credentials
    with open_services(resolve_paths(data_dir)) as services:
        assert stored_server(services.database) == central.url
        assert services.status().pending_changes == 1
    asked = _request_lines(caplog)
    assert [(record.path, record.relay) for record in asked] == [("/api/v1/server", None)]

    assert _run(capsys, data_dir, "sync")[0] == 0  # the enrolled server, as before


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The request log records so far, once there is one (each follows its answer out)."""
    deadline = time.monotonic() + 10
    while not any(record.name == REQUEST_LOGGER for record in caplog.records):
        if time.monotonic() > deadline:
            break
        time.sleep(0.01)
    time.sleep(0.2)  # room for a later line, had the token gone out after the question
    return [record for record in caplog.records if record.name == REQUEST_LOGGER]


def test_too_many_wrong_codes_are_told_apart_from_a_wrong_code(
    start_central: Callable[..., Central], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a limit of two failures a minute, the third enrolment from this address is told to
    wait, in one line, and is not retried."""
    central = start_central(enrolment_attempts_per_minute=2)
    data_dir = tmp_path / "laptop"
    for _attempt in range(2):
        code, _out, err = _run(capsys, data_dir, "enroll", "--server", central.url, "--code", "AAAA")
        assert code == 1 and "code is unknown" in err
    code, _out, err = _run(capsys, data_dir, "enroll", "--server", central.url, "--code",
                           central.relay(REGIONS))
    assert code == 1 and "Too many failed enrolment attempts" in err
    assert len(err.strip().splitlines()) == 1


class _Name:
    """A server name whose address a test moves to another server, as DNS may move it."""

    def __init__(self, first: str) -> None:
        self.target = first

    def answer(self, request: Request) -> Reply:
        return forwarding(self.target)(request)


def _authorised(link: LocalHttpServer) -> list[str]:
    return [request.path for request in link.received if "Authorization" in request.headers]


def test_the_default_address_is_asked_who_it_is_before_the_token_goes_out(
    central: Central, other_central: Central, tmp_path: Path
) -> None:
    """Tried: a device enrolled at a name; the name then leads to another Relay server. Its last
    check of who answers there is older than the check's age (here: never made, as after an
    update). Before: the sync sent its token there with the first request (the default address
    was never checked). Now the run asks ``GET /api/v1/server`` first, without the token, and
    stops with the other-server message; nothing is sent or changed."""
    from relay_app.sync.state import SERVER_CHECKED

    name = _Name(central.url)
    data_dir = resolve_paths(tmp_path / "laptop").data_dir
    with LocalHttpServer(name.answer) as link, open_services(resolve_paths(data_dir)) as services:
        enroll_device(services.database, data_dir, link.url, central.relay(REGIONS))
        services.records("partners").create(partner(1))
        with services.database.write() as session:
            write_state(session, SERVER_CHECKED, None)
        name.target = other_central.url
        link.received.clear()

        with pytest.raises(SyncError) as stopped:
            open_engine(services.database, data_dir).sync()

        assert stopped.value.code == "other_server" and link.url in str(stopped.value)
        assert link.paths() == ["/api/v1/server"] and _authorised(link) == []
        assert services.status().pending_changes == 1

        name.target = central.url  # the name is mended: the sync goes on, and the check is kept
        assert open_engine(services.database, data_dir).sync().in_sync
        link.received.clear()
        assert open_engine(services.database, data_dir).sync().idle
        assert link.paths() == [f"{API_PREFIX}/sync/meta"]  # checked a moment ago: not again


def test_a_token_refused_at_a_default_address_checked_recently_is_told_as_another_server(
    central: Central, other_central: Central, tmp_path: Path
) -> None:
    """Tried: as above, but within the age of the last check (just enrolled), so the run does
    not ask first and its token goes out with the idle check; the other server refuses it (401).
    Before: the run said the server no longer accepts this device and to enrol it again, which
    would enrol it with the wrong server. Now the run asks who answers there and stops with the
    other-server message; nothing else is sent, and the next run asks before its token goes."""
    name = _Name(central.url)
    data_dir = resolve_paths(tmp_path / "laptop").data_dir
    with LocalHttpServer(name.answer) as link, open_services(resolve_paths(data_dir)) as services:
        enroll_device(services.database, data_dir, link.url, central.relay(REGIONS))
        services.records("partners").create(partner(1))
        name.target = other_central.url
        link.received.clear()

        with pytest.raises(SyncError) as stopped:
            open_engine(services.database, data_dir).sync()

        assert stopped.value.code == "other_server" and "accepts this device" not in str(stopped.value)
        assert link.paths() == [f"{API_PREFIX}/sync/meta", "/api/v1/server"]
        assert services.status().pending_changes == 1

        link.received.clear()
        with pytest.raises(SyncError):
            open_engine(services.database, data_dir).sync()
        assert link.paths() == ["/api/v1/server"] and _authorised(link) == []
