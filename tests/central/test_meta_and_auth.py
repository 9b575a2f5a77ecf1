"""Idle check, protocol negotiation, enrolment and bearer tokens, against a running server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import requests

from relay_app.sync.wire import MetaResponse, ProtocolError
from relay_central.admin import revoke_device, revoke_relay
from tests.central.harness import Central, forum, new_id


def test_meta_is_one_small_answer_with_protocol_range_time_and_latest_cursor(
    central: Central,
) -> None:
    device = central.device(["western_europe"])
    answer = device.get("/api/v1/sync/meta")
    assert answer.status_code == 200
    meta = MetaResponse.model_validate(answer.json())
    assert (meta.protocol.min, meta.protocol.max) == (1, 3)
    assert abs(datetime.now(UTC) - meta.server_time) < timedelta(minutes=1)
    assert len(answer.content) < 1024
    assert meta.device_last_seq == 0  # nothing answered for this device yet

    device.push_one("forums", new_id(), forum())
    later = MetaResponse.model_validate(device.get("/api/v1/sync/meta").json())
    assert later.latest_cursor != meta.latest_cursor
    # Nothing new after the latest cursor: the idle client is done in one more request.
    page = device.pull(later.latest_cursor)
    assert page["items"] == [] and page["has_more"] is False

    # The highest change number answered for this device, and for no other.
    assert later.device_last_seq == 1
    device.push(*(device.change("forums", new_id(), forum()) for _ in range(3)))
    assert MetaResponse.model_validate(device.get("/api/v1/sync/meta").json()).device_last_seq == 4
    other = MetaResponse.model_validate(
        central.device(["western_europe"]).get("/api/v1/sync/meta").json()
    )
    assert other.device_last_seq == 0


def test_too_old_and_too_new_clients_get_426_with_a_human_message(central: Central) -> None:
    device = central.device(["western_europe"])
    for version, code, words in (("0", "protocol_too_old", "update Relay"),
                                 ("4", "protocol_too_new", "update the server")):
        answer = device.get("/api/v1/sync/meta", headers={"Relay-Protocol": version})
        assert answer.status_code == 426
        error = ProtocolError.model_validate(answer.json())
        assert error.error == code
        assert words in error.message
        assert (error.supported.min, error.supported.max) == (1, 3)
        assert error.client == int(version)
        assert answer.headers["Upgrade"] == "Relay-Protocol/3"


def test_every_supported_protocol_is_served(central: Central) -> None:
    device = central.device(["western_europe"])
    for version in (1, 2, 3):
        answer = device.speaking(version).get("/api/v1/sync/meta")
        assert answer.status_code == 200, (version, answer.text)
        assert answer.json()["protocol"] == {"min": 1, "max": 3}


def test_missing_protocol_header_is_refused_before_anything_is_written(central: Central) -> None:
    device = central.device(["western_europe"])
    answer = requests.post(
        f"{central.url}/api/v1/sync/push",
        json={"batch_id": "b", "changes": [device.change("forums", new_id(), forum())]},
        headers={"Authorization": f"Bearer {device.token}"},
        timeout=10,
    )
    assert answer.status_code == 426
    assert answer.json()["error"] == "protocol_missing"
    assert device.pull()["items"] == []


def test_enrolment_gives_a_token_once_and_the_code_cannot_be_reused(central: Central) -> None:
    code = central.relay(["western_europe", "northern_africa"], email="Amina@Example.org")
    body = {"code": code.lower(), "device_id": str(uuid.uuid4()), "device_name": "Laptop"}
    first = requests.post(f"{central.url}/api/v1/enroll", json=body, timeout=10)
    assert first.status_code == 201, first.text
    enrolled = first.json()
    assert enrolled["relay"] == {
        "name": "Test relay",
        "email": "amina@example.org",
        "regions": ["northern_africa", "western_europe"],
    }
    assert len(enrolled["token"]) >= 40

    again = requests.post(
        f"{central.url}/api/v1/enroll", json={**body, "device_id": str(uuid.uuid4())}, timeout=10
    )
    assert again.status_code == 403
    assert again.json()["error"] == "enrolment_code_invalid"
    assert "new one" in again.json()["message"]


def test_tokens_are_stored_hashed(central: Central) -> None:
    device = central.device(["western_europe"])
    with central.database.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM devices").scalars().all()
    assert device.token not in stored
    assert len(stored) == 1 and len(stored[0]) == 64


def test_wrong_or_missing_token_is_401_json(central: Central) -> None:
    central.device(["western_europe"])
    headers = {"Relay-Protocol": "1"}
    missing = requests.get(f"{central.url}/api/v1/sync/meta", headers=headers, timeout=10)
    wrong = requests.get(
        f"{central.url}/api/v1/sync/meta",
        headers={**headers, "Authorization": "Bearer not-a-token"},
        timeout=10,
    )
    for answer in (missing, wrong):
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert answer.json()["error"] == "unauthorized"
        assert answer.json()["message"]


def test_revoked_device_and_revoked_relay_are_refused(central: Central) -> None:
    kept = central.device(["western_europe"], email="team@example.org")
    dropped = central.device(["western_europe"])
    assert dropped.get("/api/v1/sync/meta").status_code == 200

    revoke_device(central.database, dropped.device_id)
    answer = dropped.get("/api/v1/sync/meta")
    assert answer.status_code == 401
    assert answer.json()["error"] == "revoked"
    assert kept.get("/api/v1/sync/meta").status_code == 200

    assert revoke_relay(central.database, "team@example.org") == 1
    assert kept.get("/api/v1/sync/meta").status_code == 401
    refused = kept.post("/api/v1/sync/push", {"batch_id": "x", "changes": []})
    assert refused.status_code == 401


def test_health_and_openapi_need_no_token(central: Central) -> None:
    health = requests.get(f"{central.url}/healthz", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    schema = requests.get(f"{central.url}/openapi.json", timeout=10).json()
    for path in ("/api/v1/sync/meta", "/api/v1/sync/push", "/api/v1/sync/pull",
                 "/api/v1/sync/records", "/api/v1/enroll", "/api/v1/attachments/missing"):
        assert path in schema["paths"], path
    assert "Conflicted" in schema["components"]["schemas"]
