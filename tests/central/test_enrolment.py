"""Enrolment over links that cut, its rate limit per client address, and the server's identity."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select, update

from relay_app.sync.wire import MetaResponse
from relay_central.admin import reset_cursors, revoke_device
from relay_central.logging import REQUEST_LOGGER, JsonFormatter
from relay_central.models import EnrolmentCode, utc_now
from tests.central.harness import Central, Device, forum, new_id
from tests.sync.fault_proxy import FaultProxy, Faults

REGIONS = ["western_europe"]


def _enrol(url: str, code: str, device_id: str, **headers: str) -> requests.Response:
    body = {"code": code, "device_id": device_id, "device_name": "Field laptop"}
    return requests.post(f"{url}/api/v1/enroll", json=body, headers=headers, timeout=10)


def _code_rows(central: Central) -> list[EnrolmentCode]:
    with central.database.reading() as session:
        return list(session.scalars(select(EnrolmentCode)))


def _request_lines(caplog: pytest.LogCaptureFixture, expected: int) -> list[dict[str, object]]:
    """The request log lines as JSON, once ``expected`` are written (each follows its answer)."""
    deadline = time.monotonic() + 10
    while True:
        records = [record for record in caplog.records if record.name == REQUEST_LOGGER]
        if len(records) >= expected or time.monotonic() > deadline:
            return [json.loads(JsonFormatter().format(record)) for record in records]
        time.sleep(0.01)


def test_an_enrolment_answer_lost_on_the_way_is_given_again_to_the_same_device(
    central: Central,
) -> None:
    """The link drops inside the 201 answer (the server has spent the code); the app asks again
    with the same code and device id and gets a working token; another device id cannot, and once
    the device has used its token the code is spent for good."""
    code = central.relay(REGIONS)
    device_id = str(uuid.uuid4())
    with FaultProxy(central.server.port, Faults(cut_response=1.0)) as proxy, \
            pytest.raises(requests.RequestException):
        _enrol(proxy.url, code, device_id)
    assert proxy.stats.responses_cut >= 1
    [spent] = _code_rows(central)
    assert spent.used_at is not None  # the server did its work; only the answer was lost

    stranger = _enrol(central.url, code, str(uuid.uuid4()))
    assert stranger.status_code == 403 and stranger.json()["error"] == "enrolment_code_invalid"

    again = _enrol(central.url, code.lower(), device_id)
    assert again.status_code == 201, again.text
    assert again.json()["device_id"] == device_id
    device = Device(central.url, device_id, again.json()["token"])
    assert device.push_one("forums", new_id(), forum())["status"] == "applied"
    assert len(device.pull_all()[0]) == 1

    late = _enrol(central.url, code, device_id)
    assert late.status_code == 403 and late.json()["error"] == "enrolment_code_invalid"
    assert device.get("/api/v1/sync/meta").status_code == 200  # the token in use stays good


def test_asking_again_replaces_the_token_and_closes_after_a_day(central: Central) -> None:
    """Each repeated answer is a new token (only hashes are kept); the one before stops working.
    A day after the code was first spent, or for a revoked device, the code is refused."""
    code = central.relay(REGIONS)
    device_id = str(uuid.uuid4())
    first = _enrol(central.url, code, device_id).json()["token"]
    second = _enrol(central.url, code, device_id).json()["token"]
    assert first != second
    assert Device(central.url, device_id, first).get("/api/v1/sync/meta").status_code == 401

    with central.database.writing() as session:
        session.execute(update(EnrolmentCode).values(used_at=utc_now() - timedelta(hours=25)))
    assert _enrol(central.url, code, device_id).status_code == 403
    assert Device(central.url, device_id, second).get("/api/v1/sync/meta").status_code == 200

    other_code, other_id = central.relay(REGIONS), str(uuid.uuid4())
    assert _enrol(central.url, other_code, other_id).status_code == 201
    revoke_device(central.database, other_id)
    assert _enrol(central.url, other_code, other_id).status_code == 403


def test_a_device_enrolled_again_with_a_new_code_may_ask_again_until_it_syncs(
    central: Central,
) -> None:
    """A reinstalled laptop (same device id, known to the server, seen before) gets a new code:
    its lost answer too is given again, until the new token's first use."""
    device = central.device(REGIONS, email="team@example.org")
    assert device.get("/api/v1/sync/meta").status_code == 200  # seen with its first token
    code = central.relay(REGIONS, email="team@example.org")
    assert _enrol(central.url, code, device.device_id).status_code == 201
    again = _enrol(central.url, code, device.device_id)
    assert again.status_code == 201
    renewed = Device(central.url, device.device_id, again.json()["token"])
    assert renewed.get("/api/v1/sync/meta").status_code == 200
    assert _enrol(central.url, code, device.device_id).status_code == 403


def test_failed_attempts_from_one_address_are_limited_and_logged_with_the_address(
    start_central: Callable[..., Central], caplog: pytest.LogCaptureFixture
) -> None:
    """Three wrong codes from one address, then even a right one is 429 with Retry-After; another
    address (named by a trusted proxy's X-Forwarded-For) is not affected. Every request's log
    line carries the client address."""
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    central = start_central(enrolment_attempts_per_minute=3)
    good = central.relay(REGIONS)
    for _attempt in range(3):
        assert _enrol(central.url, "AAAA-BBBB-CCCC-DDDD", str(uuid.uuid4())).status_code == 403
    refused = _enrol(central.url, good, str(uuid.uuid4()))
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_attempts" and refused.json()["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60

    elsewhere = _enrol(central.url, good, str(uuid.uuid4()), **{"X-Forwarded-For": "203.0.113.9"})
    assert elsewhere.status_code == 201, elsewhere.text
    assert [row.used_at is not None for row in _code_rows(central)] == [True]

    lines = _request_lines(caplog, 5)
    assert [(line["status"], line["client"]) for line in lines] == [
        (403, "127.0.0.1"), (403, "127.0.0.1"), (403, "127.0.0.1"), (429, "127.0.0.1"),
        (201, "203.0.113.9"),
    ]


def test_the_server_reports_one_lasting_id_before_and_after_enrolment(
    start_central: Callable[..., Central],
) -> None:
    """`GET /api/v1/server` (no token), the enrolment answer and meta report the same id; it
    survives a restart and a cursor reset (which only changes the cursors' epoch)."""
    central = start_central()
    identity = requests.get(f"{central.url}/api/v1/server", timeout=10)
    assert identity.status_code == 200
    server_id = identity.json()["server_id"]
    assert len(server_id) == 32

    code, device_id = central.relay(REGIONS), str(uuid.uuid4())
    enrolled = _enrol(central.url, code, device_id).json()
    assert enrolled["server_id"] == server_id
    device = Device(central.url, device_id, enrolled["token"])
    meta = MetaResponse.model_validate(device.get("/api/v1/sync/meta").json())
    assert meta.server_id == server_id

    reset_cursors(central.database)
    central.server.stop()
    restarted = start_central()
    assert requests.get(f"{restarted.url}/api/v1/server", timeout=10).json() == {
        "server_id": server_id
    }
    again = Device(restarted.url, device_id, enrolled["token"])
    assert MetaResponse.model_validate(again.get("/api/v1/sync/meta").json()).server_id == server_id
