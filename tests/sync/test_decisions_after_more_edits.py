"""Records deleted, restored or linked around a clash: what a person decides last is what syncs.

Each case was found by the stateful test (test_stateful.py) and is kept here as a small example.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy import select

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.store.models import Attachment
from relay_app.sync.conflicts import ConflictService
from relay_app.sync.connect import files_dir
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner


def _files(relay: Relay) -> RecordFileService:
    return RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)), None)


def _server_record(central: Central, kind: str, record_id: str) -> tuple[int, bool] | None:
    from relay_central.models import Record

    with central.database.reading() as session:
        row = session.get(Record, (kind, record_id))
        return None if row is None else (row.version, row.deleted)


def test_a_record_deleted_before_its_first_sync_takes_its_file_links_along(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay("a")
    owner = relay.services.records("partners").create(partner(1)).id
    files = _files(relay)
    link = files.link("partners", owner, "logo", files.store.put_bytes(os.urandom(500)), "image/png")
    relay.services.records("partners").delete(owner)

    summary = relay.sync()
    # Before: the link was refused at every sync (its owner never reached the server).
    assert summary.in_sync and summary.pending == 0 and summary.rejected == 0
    assert _server_record(central, "partners", owner) is None
    assert _server_record(central, "attachments", link.id) is None
    assert relay.sync().in_sync


def test_undoing_a_delete_brings_back_the_files_removed_with_the_record(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    writer, reader = make_relay("a"), make_relay("b")
    records = writer.services.records("partners")
    owner = records.create(partner(1)).id
    files = _files(writer)
    logo = files.link("partners", owner, "logo", files.store.put_bytes(os.urandom(500)), "image/png")
    poster = files.link("partners", owner, "poster", files.store.put_bytes(os.urandom(600)),
                        "image/jpeg")
    files.unlink(poster.id)  # removed on its own before: stays removed after the undo
    assert writer.sync().in_sync

    records.delete(owner)
    assert files.list("partners", owner) == []
    assert writer.sync().in_sync and reader.sync().in_sync
    assert _server_record(central, "attachments", logo.id) == (2, True)

    records.restore(owner)
    assert [item.id for item in files.list("partners", owner)] == [logo.id]
    assert writer.sync().in_sync and reader.sync().in_sync
    assert _server_record(central, "attachments", logo.id) == (3, False)
    assert _server_record(central, "attachments", poster.id) is None  # removed before it went
    assert [item.id for item in _files(reader).list("partners", owner)] == [logo.id]


def test_deciding_a_clash_on_a_record_deleted_since_keeps_it_deleted(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    record_id = first.services.records("partners").create(partner(1)).id
    assert first.sync().in_sync and second.sync().in_sync
    first.services.records("partners").update(record_id, {"city": "Nîmes"})
    second.services.records("partners").update(record_id, {"city": "Sète"})
    assert first.sync().in_sync
    assert second.sync().conflicts == 1

    second.services.records("partners").delete(record_id)
    conflicts = ConflictService(second.services.database)
    [conflict] = conflicts.list()
    conflicts.resolve(conflict.id, keep="mine")
    assert second.sync().in_sync and first.sync().in_sync
    # Before: the decision turned the pending delete into an edit, and the server kept the record.
    assert _server_record(central, "partners", record_id) == (3, True)
    assert first.services.records("partners").count() == 0


def test_a_caption_decided_after_the_file_was_removed_keeps_it_removed(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    owner = first.services.records("partners").create(partner(1)).id
    files = _files(first)
    link = files.link("partners", owner, "logo", files.store.put_bytes(os.urandom(500)), "image/png")
    assert first.sync().in_sync and second.sync().in_sync
    files.set_caption(link.id, "Logo 2024")
    _files(second).set_caption(link.id, "Logo 2025")
    assert first.sync().in_sync
    assert second.sync().conflicts == 1

    _files(second).unlink(link.id)
    conflicts = ConflictService(second.services.database)
    [conflict] = conflicts.list()
    conflicts.resolve(conflict.id, value="Logo 2026")
    assert second.sync().in_sync and first.sync().in_sync
    version, deleted = _server_record(central, "attachments", link.id) or (0, False)
    assert deleted and version == 3
    assert files.list("partners", owner) == []


def test_leaving_a_deletion_to_the_server_follows_a_restore_made_meanwhile(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """a edits what b deleted; c restores it; a, deciding "theirs", must end with it restored."""
    a, b, c = make_relay("a"), make_relay("b"), make_relay("c")
    record_id = a.services.records("partners").create(partner(1, city="Albi")).id
    for relay in (a, b, c):
        assert relay.sync().in_sync
    b.services.records("partners").delete(record_id)
    assert b.sync().in_sync and c.sync().in_sync
    a.services.records("partners").update(record_id, {"acronym": "ALB"})
    clashed = a.sync()
    [conflict] = ConflictService(a.services.database).list()
    assert clashed.conflicts == 1 and conflict.about_deletion

    c.services.records("partners").restore(record_id)
    assert c.sync().in_sync
    restored_version, _deleted = _server_record(central, "partners", record_id) or (0, True)
    a.sync()  # pulls the restore while the clash waits: the row stays as the person saw it
    ConflictService(a.services.database).resolve(conflict.id, keep="theirs")
    assert a.sync().in_sync

    view = a.services.records("partners").get(record_id)
    assert not view.deleted and view.base_version == restored_version
    assert view.values["city"] == "Albi"
    with a.services.database.read() as session:
        assert session.scalars(select(Attachment)).all() == []
