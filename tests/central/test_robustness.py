"""Bad requests get JSON errors and change nothing; answers are gzip'd; every request is logged."""

from __future__ import annotations

import gzip
import json
import logging
import time
import uuid

import pytest
import requests

from relay_central.logging import REQUEST_LOGGER, JsonFormatter
from tests.central.harness import Central, Device, forum, new_id


def _push_raw(device: Device, body: bytes, **headers: str) -> requests.Response:
    return device.http.post(
        f"{device.url}/api/v1/sync/push",
        data=body,
        headers=device.headers(**{"Content-Type": "application/json"}, **headers),
        timeout=30,
    )


def _assert_json_error(answer: requests.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]


def _batch(device: Device) -> bytes:
    change = device.change("forums", new_id(), forum())
    return json.dumps({"batch_id": uuid.uuid4().hex, "changes": [change]}).encode()


def test_malformed_json_is_400_and_nothing_changes(central: Central) -> None:
    device = central.device(["western_europe"])
    _assert_json_error(_push_raw(device, b'{"batch_id": "x", "changes": [}'), 400, "bad_json")
    answer = _push_raw(device, gzip.compress(b"{not json"), **{"Content-Encoding": "gzip"})
    _assert_json_error(answer, 400, "bad_json")
    assert device.pull()["items"] == []


def test_body_that_breaks_the_protocol_is_422_with_details(central: Central) -> None:
    device = central.device(["western_europe"])
    body = json.dumps({"batch_id": "x", "changes": [{"seq": 0, "kind": "cats", "id": "1",
                                                     "op": "upsert"}]}).encode()
    answer = _push_raw(device, body)
    _assert_json_error(answer, 422, "invalid_request")
    locations = {detail["location"] for detail in answer.json()["details"]}
    assert {"body.changes.0.seq", "body.changes.0.kind"} <= locations


def test_garbage_or_truncated_gzip_is_400_and_nothing_changes(central: Central) -> None:
    device = central.device(["western_europe"])
    good = gzip.compress(_batch(device))
    for body in (b"this is not gzip at all", good[: len(good) // 2], good + b"trailing"):
        answer = _push_raw(device, body, **{"Content-Encoding": "gzip"})
        _assert_json_error(answer, 400, "bad_gzip")
    assert device.pull()["items"] == []


def test_oversized_bodies_are_413_and_nothing_changes(start_central) -> None:  # type: ignore[no-untyped-def]
    central = start_central(max_body_bytes=64 * 1024, max_decompressed_bytes=256 * 1024)
    device = central.device(["western_europe"])
    changes = [device.change("forums", new_id(), forum(description="x" * 900)) for _ in range(100)]
    raw = json.dumps({"batch_id": "big", "changes": changes}).encode()
    assert len(raw) > 64 * 1024

    _assert_json_error(_push_raw(device, raw), 413, "body_too_large")
    # Compressed it fits the wire limit; a gzip bomb is stopped while it inflates.
    bomb = gzip.compress(b" " * (2 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    answer = _push_raw(device, bomb, **{"Content-Encoding": "gzip"})
    _assert_json_error(answer, 413, "body_too_large")

    # Without Content-Length (chunked), the limit still holds.
    def chunks():  # type: ignore[no-untyped-def]
        for start in range(0, len(raw), 8192):
            yield raw[start : start + 8192]

    _assert_json_error(_push_raw(device, chunks()), 413, "body_too_large")  # type: ignore[arg-type]
    assert device.pull()["items"] == []


def test_too_many_changes_in_one_batch_is_413(start_central) -> None:  # type: ignore[no-untyped-def]
    central = start_central(max_batch_changes=3)
    device = central.device(["western_europe"])
    body = json.dumps({
        "batch_id": "b",
        "changes": [device.change("forums", new_id(), forum()) for _ in range(4)],
    }).encode()
    _assert_json_error(_push_raw(device, body), 413, "batch_too_large")
    assert device.pull()["items"] == []


def test_unsupported_content_encoding_is_415(central: Central) -> None:
    device = central.device(["western_europe"])
    answer = _push_raw(device, _batch(device), **{"Content-Encoding": "br"})
    _assert_json_error(answer, 415, "unsupported_encoding")


def test_unknown_path_and_wrong_method_are_json(central: Central) -> None:
    device = central.device(["western_europe"])
    _assert_json_error(device.get("/api/v1/nothing-here"), 404, "not_found")
    _assert_json_error(device.get("/api/v1/sync/push"), 405, "method_not_allowed")


def test_answers_are_gzip_compressed_for_clients_that_accept_it(central: Central) -> None:
    device = central.device(["western_europe"])
    device.push(*(device.change("forums", new_id(), forum()) for _ in range(20)))
    zipped = device.get("/api/v1/sync/pull", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert zipped.headers["Content-Encoding"] == "gzip"
    wire_size = len(zipped.raw.read(decode_content=False))
    plain = device.get("/api/v1/sync/pull", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert wire_size * 3 < len(plain.content)


def test_one_structured_log_line_per_request(
    central: Central, caplog: pytest.LogCaptureFixture
) -> None:
    device = central.device(["western_europe"], email="logged@example.org")
    sync_paths = {"/api/v1/sync/meta", "/api/v1/sync/pull"}

    def sync_lines() -> list[logging.LogRecord]:
        # The line is written once the answer has gone out, so the enrolment's own line may
        # land after this test starts listening and the last one just after the client returns.
        return [
            record
            for record in caplog.records
            if record.name == REQUEST_LOGGER and getattr(record, "path", None) in sync_paths
        ]

    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        device.get("/api/v1/sync/meta")
        device.get("/api/v1/sync/pull", params={"cursor": "bad"})
        deadline = time.monotonic() + 20  # returns as soon as both lines are written
        while len(sync_lines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
    lines = {
        line["path"]: line
        for line in (json.loads(JsonFormatter().format(record)) for record in sync_lines())
    }
    assert len(sync_lines()) == 2 and set(lines) == sync_paths
    meta = lines["/api/v1/sync/meta"]
    assert meta["method"] == "GET" and meta["status"] == 200
    assert meta["relay"] == "logged@example.org"
    assert isinstance(meta["duration_ms"], float)
    assert lines["/api/v1/sync/pull"]["status"] == 400
