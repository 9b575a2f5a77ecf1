"""One small or anonymous request cannot make the server do work out of proportion to it.

Each test sends, over real HTTP to a real server, a request built to be cheap to send and costly
to answer: a list of hundreds of thousands of items in a tiny gzip body, a gzip body without a
token, a body of countless tiny JSON values. The server must refuse it as a whole, with a small
answer, before it validates the items (or, without a valid token, before it reads the body).
"""

from __future__ import annotations

import gzip
import json
import random
import uuid
from pathlib import Path

import requests

from relay_app.sync.wire import MAX_BATCH_CHANGES, MAX_MISSING_HASHES, PROTOCOL_HEADER
from relay_central.errors import MAX_ERROR_DETAILS
from relay_central.middleware import has_more_json_values
from relay_central.settings import Settings
from tests.central.batches import realistic_batch
from tests.central.harness import Central, Device, forum, new_id

# Far more than any limit, yet about a kilobyte once gzip-compressed.
HUGE_LIST = 300_000
# An answer the server should never exceed when it refuses a request.
SMALL_ANSWER_BYTES = 4096


def _gzip_post(device: Device, path: str, raw: bytes, **headers: str) -> requests.Response:
    return device.http.post(
        f"{device.url}{path}",
        data=gzip.compress(raw),
        headers=device.headers(
            **{"Content-Type": "application/json", "Content-Encoding": "gzip"}, **headers
        ),
        timeout=60,
    )


def _empty_objects(count: int) -> str:
    return "[" + ",".join(["{}"] * count) + "]"


def test_a_push_of_300000_empty_changes_is_refused_whole_with_a_small_answer(
    central: Central,
) -> None:
    """Tried: an authenticated gzip push of ~1 KiB whose `changes` holds 300,000 `{}`. Before,
    the server parsed and validated each item and answered 422 with a `details` entry per
    missing key (about 78 MB, the server growing by 1.5 GB). Now it is too many values for one
    body: refused before it is parsed."""
    device = central.device(["western_europe"])
    raw = f'{{"batch_id":"b","changes":{_empty_objects(HUGE_LIST)}}}'.encode()
    assert len(gzip.compress(raw)) < 4096

    answer = _gzip_post(device, "/api/v1/sync/push", raw)

    assert answer.status_code == 413, answer.text[:500]
    assert len(answer.content) < SMALL_ANSWER_BYTES
    assert answer.json()["error"] == "body_too_large"
    assert "details" not in answer.json()
    assert device.pull()["items"] == []


def test_a_push_over_the_batch_limit_is_refused_by_its_length_alone(central: Central) -> None:
    """Tried: 5,000 empty changes, few enough values to be parsed. Before, each was validated
    (20,000 `details`, one per missing key); now the schema refuses the list by its length,
    before any item is looked at, with the documented 413 `batch_too_large`."""
    device = central.device(["western_europe"])
    raw = f'{{"batch_id":"b","changes":{_empty_objects(5 * MAX_BATCH_CHANGES)}}}'.encode()

    answer = _gzip_post(device, "/api/v1/sync/push", raw)

    assert answer.status_code == 413, answer.text[:500]
    assert len(answer.content) < SMALL_ANSWER_BYTES
    body = answer.json()
    assert body["error"] == "batch_too_large"
    assert str(MAX_BATCH_CHANGES) in body["message"]
    assert "details" not in body
    assert device.pull()["items"] == []


def test_asking_about_too_many_files_is_refused_whole(central: Central) -> None:
    """Tried: `POST attachments/missing` with 300,000 and with 5,000 items that are not even
    hashes. Before, each item was validated and reported (422 with a `details` entry each); now
    the first is too many values for one body and the second is refused by its length."""
    device = central.device(["western_europe"])
    for count, code in ((HUGE_LIST, "body_too_large"), (5 * MAX_MISSING_HASHES, "too_many_hashes")):
        raw = f'{{"hashes":{_empty_objects(count)}}}'.encode()

        answer = _gzip_post(device, "/api/v1/attachments/missing", raw)

        assert answer.status_code == 413, answer.text[:500]
        assert len(answer.content) < SMALL_ANSWER_BYTES
        assert answer.json()["error"] == code
        assert "details" not in answer.json()
    many = [f"{i:064x}" for i in range(MAX_MISSING_HASHES + 1)]
    answer = device.post("/api/v1/attachments/missing", {"hashes": many})
    assert answer.status_code == 413 and answer.json()["error"] == "too_many_hashes"
    assert str(MAX_MISSING_HASHES) in answer.json()["message"]
    assert device.post("/api/v1/attachments/missing", {"hashes": many[:-1]}).status_code == 200


def test_a_push_of_countless_tiny_values_is_refused_before_it_is_parsed(
    central: Central,
) -> None:
    """Tried: one change whose field holds 500,000 empty lists (a valid list of changes, the
    cost hidden in a value). The body is within the byte limits, but its values are too many:
    refused as too large before it is turned into objects."""
    device = central.device(["western_europe"])
    values = "[" + ",".join(["[]"] * 500_000) + "]"
    raw = (
        '{"batch_id":"b","changes":[{"seq":1,"kind":"forums","id":"f","op":"upsert",'
        f'"fields":{{"name":{values}}}}}]}}'
    ).encode()
    settings: Settings = central.settings
    assert len(raw) < settings.max_decompressed_bytes
    assert has_more_json_values(raw, settings.max_json_values)

    answer = _gzip_post(device, "/api/v1/sync/push", raw)

    assert answer.status_code == 413, answer.text[:500]
    assert answer.json()["error"] == "body_too_large"
    assert device.pull()["items"] == []


def test_an_anonymous_gzip_body_is_refused_before_it_is_read(central: Central) -> None:
    """Tried: push and attachment requests without a token (and without the protocol header)
    carrying gzip. The body is corrupt gzip, so a server that inflated it would answer 400
    `bad_gzip`; refusing with 401/426 proves it never read it."""
    corrupt = b"\x1f\x8b this is not a gzip stream" * 100
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    for path, protocol, status, code in (
        ("/api/v1/sync/push", "2", 401, "unauthorized"),
        ("/api/v1/sync/push", None, 426, "protocol_missing"),
        ("/api/v1/sync/records", "2", 401, "unauthorized"),
        ("/api/v1/attachments/missing", None, 401, "unauthorized"),
        ("/api/v1/attachments/missing", "2", 401, "unauthorized"),
    ):
        sent = dict(headers)
        if protocol is not None:
            sent[PROTOCOL_HEADER] = protocol
        answer = requests.post(f"{central.url}{path}", data=corrupt, headers=sent, timeout=10)
        assert (answer.status_code, answer.json()["error"]) == (status, code), (path, answer.text)
    wrong_token = {**headers, PROTOCOL_HEADER: "2", "Authorization": "Bearer not-a-token"}
    answer = requests.post(
        f"{central.url}/api/v1/sync/push", data=corrupt, headers=wrong_token, timeout=10
    )
    assert (answer.status_code, answer.json()["error"]) == (401, "unauthorized")


def test_the_token_check_before_the_body_keeps_authenticated_requests_working(
    central: Central,
) -> None:
    """The early check lets a real device through: its gzip body is inflated after it (corrupt
    gzip is 400 again) and its push applied."""
    device = central.device(["western_europe"])
    assert device.push_one("forums", new_id(), forum())["status"] == "applied"
    bad = device.http.post(
        f"{device.url}/api/v1/sync/push",
        data=b"\x1f\x8b not gzip",
        headers=device.headers(**{"Content-Encoding": "gzip"}),
        timeout=10,
    )
    assert bad.status_code == 400 and bad.json()["error"] == "bad_gzip"


def test_enrolment_takes_only_a_small_body(central: Central) -> None:
    """Tried: the one tokenless endpoint with 64 KiB of gzip that inflates to 16 MiB. Before, it
    was inflated to the full limit and parsed; now anything beyond a small body is 413 (a real
    enrolment, a few hundred bytes, still works)."""
    bomb = gzip.compress(b" " * (16 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    answer = requests.post(
        f"{central.url}/api/v1/enroll",
        data=bomb,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert answer.status_code == 413 and answer.json()["error"] == "body_too_large"
    plain = requests.post(
        f"{central.url}/api/v1/enroll",
        data=json.dumps({"code": "x" * 64, "device_id": "d", "device_name": "n" * 20_000}),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert plain.status_code == 413
    central.device(["western_europe"])  # enrols through the same endpoint


def test_validation_error_details_are_capped_with_a_count(central: Central) -> None:
    """Tried: a push of 200 changes that each break the protocol twice (400 problems). The
    answer lists the first few and says how many there were."""
    device = central.device(["western_europe"])
    changes = [{"seq": 0, "kind": "cats", "id": str(i), "op": "upsert"} for i in range(200)]
    answer = device.post("/api/v1/sync/push", {"batch_id": "b", "changes": changes})

    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_request"
    assert len(body["details"]) == MAX_ERROR_DETAILS
    assert body["error_count"] == 400
    assert body["details"][0]["location"] == "body.changes.0.seq"
    assert len(answer.content) < SMALL_ANSWER_BYTES


def test_a_realistic_full_batch_fits_the_default_limits() -> None:
    """The limits must let through what a relay really sends: 1,000 changes of the largest
    records with long texts (see docs/sync-protocol.md, "Size limits")."""
    defaults = Settings(data_dir=Path("."), database_url="sqlite://")
    for kind in ("practices", "partners", "registrations"):
        raw = realistic_batch(kind, MAX_BATCH_CHANGES, batch_id=uuid.uuid4().hex)
        assert len(gzip.compress(raw)) <= defaults.max_body_bytes, kind
        assert len(raw) <= defaults.max_decompressed_bytes, (kind, len(raw))
        assert not has_more_json_values(raw, defaults.max_json_values), kind


def _values_in(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_values_in(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(_values_in(item) for item in value)
    return 1


def test_the_count_of_json_values_never_falls_short() -> None:
    """The count that refuses bodies before parsing must never be below what parsing builds,
    whatever the strings hold (commas, brackets, escaped quotes and backslashes), however the
    JSON is spaced, and for bodies that are not JSON at all past some point."""
    rng = random.Random(7)
    alphabet = ['"', "\\", ",", "[", "]", "{", "}", ":", "a", " ", "é", "\n"]

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(6)))

    def value(depth: int) -> object:
        roll = rng.random()
        if depth > 3 or roll < 0.4:
            return rng.choice([text(), 1, 2.5, True, None, ""])
        if roll < 0.7:
            return [value(depth + 1) for _ in range(rng.randrange(5))]
        return {text(): value(depth + 1) for _ in range(rng.randrange(5))}

    for _ in range(2000):
        document = [value(0) for _ in range(rng.randrange(1, 30))]
        count = _values_in(document)
        for raw in (json.dumps(document), json.dumps(document, ensure_ascii=False, indent=1),
                    json.dumps(document, separators=(",", ":"))):
            body = raw.encode()
            assert has_more_json_values(body, count - 1), raw
            # A parser reaches the end of the items before it fails on a stray byte.
            stray = rng.choice([b"\\", b'"', b'\\"', b"x", b","])
            assert has_more_json_values(body[:-1] + stray + b"]", count - 1), raw
