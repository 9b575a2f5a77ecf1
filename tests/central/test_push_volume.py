"""What one device's pushes may store: compact answers, and a daily bound the server announces."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from relay_app.sync.wire import MAX_REJECTED_ERRORS
from relay_central.answers import MAX_FIELD_CHARS, MAX_MESSAGE_CHARS
from relay_central.models import AppliedChange, PushVolume, utc_now
from relay_central.prune import prune
from tests.central.harness import Central, Device, forum, new_id


def _stored_answers(central: Central) -> list[str]:
    """The stored replay answers, as JSON text of the shape the database keeps."""
    with central.database.reading() as session:
        answers = session.scalars(select(AppliedChange.answer).order_by(AppliedChange.seq))
        return [json.dumps(answer, separators=(",", ":")) for answer in answers]


def test_answers_to_changes_full_of_unknown_fields_are_stored_compactly(
    central: Central,
) -> None:
    """Tried: 50 changes, each naming 200 unknown fields of 300 characters (a request of about
    3 MB, 60 KB gzip'd). Before, each rejection repeated every name twice (field and message),
    and the stored answers outweighed the request. Now a rejection lists the first few problems
    with their texts shortened, and counts the rest."""
    device = central.device(["western_europe"])
    fields = {f"{'x' * 296}{index:04d}": 0 for index in range(200)}
    changes = [device.change("forums", new_id(), fields) for _ in range(50)]
    sent = json.dumps({"batch_id": "b", "changes": changes})

    results = device.push(*changes)

    for result in results:
        assert result["status"] == "rejected"
        assert len(result["errors"]) == MAX_REJECTED_ERRORS
        assert result["more_errors"] == 200 - MAX_REJECTED_ERRORS
        assert all(error["code"] == "unknown_field" for error in result["errors"])
        assert all(len(error["field"]) <= MAX_FIELD_CHARS for error in result["errors"])
        assert all(len(error["message"]) <= MAX_MESSAGE_CHARS for error in result["errors"])
    stored = _stored_answers(central)
    assert len(stored) == 50
    # Each row stays a few kilobytes, whatever the names sent; all of them far below the request.
    assert max(len(row) for row in stored) < 4 * 1024
    assert sum(len(row) for row in stored) < len(sent) // 5
    # A replay gets the stored answer, count included.
    assert device.push(*changes) == results


def test_a_device_that_reached_its_daily_changes_is_refused_until_the_next_day(
    start_central: Callable[..., Central],
) -> None:
    """Tried: a server allowing 5 changes a day per device; one device pushes 3, then 3, then
    1. The push that reaches the bound is applied whole; the next is refused with 429
    `push_quota` (nothing applied, a Retry-After until midnight UTC); another device is not
    affected, and replays of answered changes are not counted."""
    central = start_central(max_push_changes_per_day=5)
    device = central.device(["western_europe"])
    other = central.device(["western_europe"])
    first = [device.change("forums", new_id(), forum()) for _ in range(3)]
    device.push(*first)
    device.push(*(device.change("forums", new_id(), forum()) for _ in range(3)))

    late_id = new_id()
    refused = device.post(
        "/api/v1/sync/push",
        {"batch_id": uuid.uuid4().hex, "changes": [device.change("forums", late_id, forum())]},
    )

    assert refused.status_code == 429, refused.text
    assert refused.json()["error"] == "push_quota"
    assert refused.json()["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 24 * 3600
    assert late_id not in {item["id"] for item in device.pull()["items"]}
    assert other.push_one("forums", new_id(), forum())["status"] == "applied"
    with central.database.reading() as session:
        volume = session.scalars(select(PushVolume).order_by(PushVolume.device)).all()
    assert [row.changes for row in volume] == [6, 1]
    assert all(row.stored_bytes > 0 for row in volume)


def test_replays_do_not_count_towards_the_daily_bound(
    start_central: Callable[..., Central],
) -> None:
    central = start_central(max_push_changes_per_day=2)
    device = central.device(["western_europe"])
    change = device.change("forums", new_id(), forum())
    for _ in range(4):
        assert device.push(change)[0]["status"] == "applied"
    with central.database.reading() as session:
        assert session.scalars(select(PushVolume.changes)).all() == [1]


def test_the_daily_bound_on_stored_bytes_is_reached_by_what_is_stored(
    start_central: Callable[..., Central],
) -> None:
    """Tried: a server allowing 20 KB a day per device; a device pushes forums with long
    descriptions (about 5 KB stored each, as a version and an answer) until refused."""
    central = start_central(max_push_bytes_per_day=20_000)
    device = central.device(["western_europe"])
    pushed = 0
    for _ in range(10):
        answer = _push_forum(device, description="Une description longue. " * 200)
        if answer.status_code == 429:
            break
        assert answer.status_code == 200, answer.text
        pushed += 1
    assert answer.status_code == 429 and answer.json()["error"] == "push_quota"
    assert 3 <= pushed <= 5
    with central.database.reading() as session:
        stored = session.scalars(select(PushVolume.stored_bytes)).one()
    assert 20_000 <= stored < 30_000


def test_meta_announces_the_request_and_push_volume_limits(
    start_central: Callable[..., Central],
) -> None:
    central = start_central(max_push_changes_per_day=1234, max_push_bytes_per_day=5678)
    device = central.device(["western_europe"])
    limits = device.get("/api/v1/sync/meta").json()["limits"]
    settings = central.settings
    assert limits["max_push_changes_per_day"] == 1234
    assert limits["max_push_bytes_per_day"] == 5678
    assert limits["max_decompressed_bytes"] == settings.max_decompressed_bytes
    assert limits["max_json_values"] == settings.max_json_values
    assert limits["max_missing_hashes"] == 1000
    assert limits["max_batch_changes"] == 1000


def _push_forum(device: Device, **values: object):  # type: ignore[no-untyped-def]
    change = device.change("forums", new_id(), forum(**values))
    return device.post("/api/v1/sync/push", {"batch_id": uuid.uuid4().hex, "changes": [change]})


def test_prune_forgets_the_totals_of_past_days(central: Central) -> None:
    device = central.device(["western_europe"])
    device.push_one("forums", new_id(), forum())
    prune(central.database, central.settings)  # today's total is still needed
    with central.database.reading() as session:
        assert session.scalars(select(PushVolume.changes)).all() == [1]
    prune(central.database, central.settings, now=utc_now() + timedelta(days=1))
    with central.database.reading() as session:
        assert session.scalars(select(PushVolume.changes)).all() == []
