"""Protocol 2: a device's own changes come back without values, and an older copy fetches them."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.store.models import RecordToFetch
from relay_app.sync.client import SyncClient
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner


def _client(relay: Relay) -> SyncClient:
    return SyncClient(relay.server_url, relay.token)


def test_own_changes_come_back_without_values_and_others_get_them(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    writer, reader = make_relay("a"), make_relay("b")
    reader.services.records("partners").create(partner(99))  # the feed starts somewhere
    assert reader.sync().in_sync and writer.sync().in_sync
    before = _client(writer).meta().latest_cursor
    service = writer.services.records("partners")
    ids = {service.create(partner(number)).id for number in range(5)}

    summary = writer.sync()
    assert summary.in_sync and summary.pushed == 5 and summary.fetched == 0

    own = _client(writer).pull(before, 100)
    assert {item.id for item in own.items} == ids
    assert all(item.values is None for item in own.items)
    theirs = _client(reader).pull(before, 100)
    assert {item.id for item in theirs.items} == ids
    assert all(item.values and item.values["country"] == "FR" for item in theirs.items)
    # A snapshot (from the start of the feed) always carries values.
    snapshot = _client(writer).pull(None, 100)
    assert snapshot.items and all(item.values is not None for item in snapshot.items)

    with writer.services.database.read() as session:
        assert session.scalars(select(RecordToFetch)).all() == []
    for record_id in ids:
        assert service.get(record_id).base_version == 1


def _backup(database_file: Path, copy: Path) -> None:
    source, target = sqlite3.connect(database_file), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def test_a_store_restored_from_an_older_copy_fetches_its_own_newer_changes(
    central: Central, make_relay: Callable[..., Relay], tmp_path: Path
) -> None:
    relay = make_relay("a")
    service = relay.services.records("partners")
    record_id = service.create(partner(1, city="Montpellier")).id
    assert relay.sync().in_sync
    paths = resolve_paths(relay.data_dir)
    copy = tmp_path / "backup.sqlite3"
    _backup(paths.database, copy)

    service.update(record_id, {"city": "Nîmes"})
    assert relay.sync().in_sync and service.get(record_id).base_version == 2

    # The disk is restored from the copy: the record is back at version 1, the cursor too.
    relay.services.close()
    for leftover in paths.database.parent.glob(paths.database.name + "-*"):
        leftover.unlink()
    shutil.copyfile(copy, paths.database)
    restored = Relay(relay.name, relay.data_dir, open_services(paths), relay.server_url)
    try:
        assert restored.services.records("partners").get(record_id).values["city"] == "Montpellier"
        summary = restored.sync()
        assert summary.in_sync and summary.fetched == 1
        view = restored.services.records("partners").get(record_id)
        assert view.values["city"] == "Nîmes" and view.base_version == 2
        with restored.services.database.read() as session:
            assert session.scalars(select(RecordToFetch)).all() == []
    finally:
        restored.services.close()


def test_changes_made_after_a_restore_take_numbers_the_server_has_not_answered(
    central: Central, make_relay: Callable[..., Relay], tmp_path: Path
) -> None:
    """The restored copy's change counter is behind the server's memory of this device.

    Without catching up, the next change would reuse a number the server answered for another
    change, get that old answer back, and leave the outbox as if it had been applied.
    """
    relay, other = make_relay("a"), make_relay("b")
    service = relay.services.records("partners")
    kept = service.create(partner(1)).id
    assert relay.sync().in_sync
    paths = resolve_paths(relay.data_dir)
    copy = tmp_path / "backup.sqlite3"
    _backup(paths.database, copy)
    for number in range(2, 5):  # numbers the server answers after the copy was taken
        service.create(partner(number))
    service.update(kept, {"city": "Sète"})
    assert relay.sync().in_sync
    answered = _client(relay).meta().device_last_seq
    assert answered >= 5

    relay.services.close()
    for leftover in paths.database.parent.glob(paths.database.name + "-*"):
        leftover.unlink()
    shutil.copyfile(copy, paths.database)
    restored = Relay(relay.name, relay.data_dir, open_services(paths), relay.server_url)
    try:
        records = restored.services.records("partners")
        made_after_restore = records.create(partner(9, city="Albi")).id
        records.update(kept, {"acronym": "CA1"})
        summary = restored.sync()
        assert summary.in_sync and summary.pushed == 2 and summary.conflicts == 0
        # Pushed as new changes, not answered as replays: the server holds both.
        assert _client(restored).meta().device_last_seq > answered

        assert other.sync().in_sync
        seen = other.services.records("partners")
        assert seen.get(made_after_restore).values["city"] == "Albi"
        both = seen.get(kept).values
        assert (both["city"], both["acronym"]) == ("Sète", "CA1")
        # And the restored copy got back everything it had pushed after the copy was taken.
        assert records.count() == 5
        assert records.get(kept).values["city"] == "Sète"
    finally:
        restored.services.close()
