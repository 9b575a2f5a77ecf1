"""Requests found by fuzzing the API (test_schemathesis.py) that once made the server fail (500).

PostgreSQL refuses NUL characters in text and JSONB, and both engines store `seq` as a signed
64-bit integer: such input must get a protocol answer, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import uuid

import requests
from sqlalchemy import select

from relay_app.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION
from relay_central.models import Upload
from relay_central.push import MAX_SEQ
from tests.central.harness import Central, Device, forum, new_id

REGIONS = ["western_europe"]


def _push(device: Device, changes: list[dict], batch_id: str | None = None) -> requests.Response:
    return device.post(
        "/api/v1/sync/push", {"batch_id": batch_id or uuid.uuid4().hex, "changes": changes}
    )


def test_a_seq_beyond_64_bits_is_an_invalid_request_and_writes_nothing(central: Central) -> None:
    device = central.device(REGIONS)
    record = new_id()

    answer = _push(device, [device.change("forums", record, forum(), seq=MAX_SEQ + 1)])

    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request"
    assert [detail["location"] for detail in body["details"]] == ["body.changes.0.seq"]
    items, _cursor = device.pull_all()
    assert items == []


def test_the_largest_64_bit_seq_is_accepted(central: Central) -> None:
    device = central.device(REGIONS)

    result = device.push_one("forums", new_id(), forum(), seq=MAX_SEQ)

    assert result["status"] == "applied", result
    assert result["seq"] == MAX_SEQ


def test_a_nul_in_a_record_id_or_batch_id_is_an_invalid_request(central: Central) -> None:
    device = central.device(REGIONS)

    answer = _push(device, [device.change("forums", "forum\x00one", forum())], batch_id="b\x00")

    assert answer.status_code == 422, answer.text
    locations = [detail["location"] for detail in answer.json()["details"]]
    assert locations == ["body.batch_id", "body.changes.0.id"]
    items, _cursor = device.pull_all()
    assert items == []


def test_nul_characters_in_values_are_cleaned_away(central: Central) -> None:
    device = central.device(REGIONS)
    record = new_id()

    results = device.push(
        device.change("forums", record, forum(name="Soils\x00 forum", city="Dakar\x00")),
        device.change("forums", new_id(), {**forum(), "color\x00": "green"}),
    )

    assert results[0]["status"] == "applied", results[0]
    assert results[1]["status"] == "rejected"
    assert results[1]["errors"][0]["code"] == "unknown_field"
    assert results[1]["errors"][0]["field"] == "color"
    items, _cursor = device.pull_all()
    assert [(item["id"], item["values"]["name"], item["values"]["city"]) for item in items] == [
        (record, "Soils forum", "Dakar")
    ]


def test_enrolment_with_a_nul_in_the_device_id_is_an_invalid_request(central: Central) -> None:
    code = central.relay(REGIONS)

    answer = requests.post(
        f"{central.url}/api/v1/enroll",
        json={"code": code, "device_id": "laptop\x00", "device_name": "Field laptop"},
        timeout=10,
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    # The code was not spent on the refused request.
    retry = requests.post(
        f"{central.url}/api/v1/enroll",
        json={"code": code, "device_id": str(uuid.uuid4()), "device_name": "Field laptop"},
        timeout=10,
    )
    assert retry.status_code == 201, retry.text


def test_an_upload_id_with_a_nul_is_not_found(central: Central) -> None:
    device = central.device(REGIONS)

    answer = device.http.delete(
        f"{central.url}/api/v1/attachments/uploads/abc%00def",
        headers=device.headers(**{"Tus-Resumable": "1.0.0"}),
        timeout=10,
    )

    assert answer.status_code == 404, answer.text
    assert answer.json()["error"] == "not_found"


def test_a_media_type_with_a_nul_is_cleaned_on_upload_creation(central: Central) -> None:
    device = central.device(REGIONS)
    sha = "ab" * 32
    metadata = ", ".join(
        f"{key} {base64.b64encode(value.encode()).decode()}"
        for key, value in (("sha256", sha), ("media_type", "image/\x00jpeg"))
    )

    created = device.http.post(
        f"{central.url}/api/v1/attachments/uploads",
        headers={
            "Authorization": f"Bearer {device.token}",
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "10",
            "Upload-Metadata": metadata,
        },
        timeout=10,
    )

    assert created.status_code == 201, created.text
    assert created.headers["Upload-Offset"] == "0"
    with central.database.reading() as session:
        stored = session.scalars(select(Upload.media_type).where(Upload.sha256 == sha)).all()
    assert stored == ["image/jpeg"]
