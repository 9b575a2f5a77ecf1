"""Pulling the change feed: pages, cursors, and `resync` once history was pruned."""

from __future__ import annotations

from datetime import timedelta

from relay_central.cli import main
from relay_central.prune import prune
from tests.central.harness import Central, forum, new_id


def test_pull_pages_through_every_record_once_in_server_order(central: Central) -> None:
    device = central.device(["western_europe"])
    ids = [new_id() for _ in range(7)]
    device.push(*(device.change("forums", record, forum(capacity=10 + i)) for i, record in
                  enumerate(ids)))

    first = device.pull(limit=3)
    assert [item["id"] for item in first["items"]] == ids[:3]
    assert first["has_more"] is True
    second = device.pull(first["next_cursor"], limit=3)
    third = device.pull(second["next_cursor"], limit=3)
    assert [item["id"] for item in second["items"] + third["items"]] == ids[3:]
    assert third["has_more"] is False
    seqs = [item["change_seq"] for item in first["items"] + second["items"] + third["items"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 7
    assert device.pull(third["next_cursor"])["items"] == []


def test_a_record_changed_again_comes_once_with_its_latest_values(central: Central) -> None:
    device = central.device(["western_europe"])
    reader = central.device(["western_europe"])
    a, b = new_id(), new_id()
    device.push_one("forums", a, forum())
    device.push_one("forums", b, forum())
    _items, cursor = reader.pull_all()
    device.push_one("forums", a, {"capacity": 7}, base_version=1)
    device.push_one("forums", a, {"capacity": 8}, base_version=2)
    page = reader.pull(cursor)
    assert [(item["id"], item["version"], item["values"]["capacity"]) for item in page["items"]] \
        == [(a, 3, 8)]


def test_limit_is_capped_by_the_server(start_central) -> None:  # type: ignore[no-untyped-def]
    central = start_central(max_pull_limit=2)
    device = central.device(["western_europe"])
    device.push(*(device.change("forums", new_id(), forum()) for _ in range(3)))
    page = device.pull(limit=500)
    assert len(page["items"]) == 2 and page["has_more"] is True


def test_pruned_history_answers_resync_with_a_fresh_cursor(central: Central) -> None:
    device = central.device(["western_europe"])
    kept, dropped = new_id(), new_id()
    device.push_one("forums", kept, forum())
    device.push_one("forums", dropped, forum())
    _items, old_cursor = device.pull_all()
    device.push_one("forums", dropped, op="delete", base_version=1)
    _items, current_cursor = device.pull_all(old_cursor)

    report = prune(central.database, central.settings, older_than=timedelta(0))
    assert report.tombstones == 1 and report.pruned_through > 0

    stale = device.pull(old_cursor)
    assert stale["resync"] is True and stale["items"] == [] and stale["has_more"] is True
    # The fresh cursor starts a full snapshot: every live record, no pruned tombstone.
    snapshot, _end = device.pull_all(stale["next_cursor"])
    assert [item["id"] for item in snapshot] == [kept]
    # A cursor that already saw the delete still works incrementally.
    assert device.pull(current_cursor)["resync"] is False


def test_after_a_restore_reset_cursors_makes_every_client_resync(central: Central) -> None:
    device = central.device(["western_europe"])
    device.push_one("forums", new_id(), forum())
    _items, cursor = device.pull_all()
    assert main(["db", "reset-cursors", "--db", central.settings.database_url,
                 "--data-dir", str(central.settings.data_dir)]) == 0
    page = device.pull(cursor)
    assert page["resync"] is True
    snapshot, _end = device.pull_all(page["next_cursor"])
    assert len(snapshot) == 1


def test_cursor_ahead_of_the_server_means_resync(central: Central) -> None:
    """A server restored from an older backup has not reached the client's cursor yet."""
    device = central.device(["western_europe"])
    device.push_one("forums", new_id(), forum())
    _items, cursor = device.pull_all()
    with central.database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE server_state SET last_change_seq = 0")
    assert device.pull(cursor)["resync"] is True


def test_unreadable_cursor_is_400_json(central: Central) -> None:
    device = central.device(["western_europe"])
    answer = device.get("/api/v1/sync/pull", params={"cursor": "garbage!"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_cursor"
