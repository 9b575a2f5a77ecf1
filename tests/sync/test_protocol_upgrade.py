"""A cursor earned with an older protocol is replaced by one full snapshot.

Protocol 1 pulls never carried file links, so a store that synced with it has a cursor past links
it never saw. The store below is made to look like that: a link removed behind the app's back and
the cursor marked as earned with protocol 1.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy import delete, select

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.store.models import Attachment
from relay_app.sync.connect import files_dir
from relay_app.sync.state import CURSOR_PROTOCOL, read_state, write_state
from relay_app.sync.wire import PROTOCOL_VERSION
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner


def _linked_photo(relay: Relay) -> str:
    owner = relay.services.records("partners").create(partner(1)).id
    files = RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)), None)
    stored = files.store.put_bytes(os.urandom(20_000))
    return files.link("partners", owner, "logo", stored, "image/png", filename="logo.png").id


def _forget_links(relay: Relay, earned_with: str) -> None:
    with relay.services.database.write() as session:
        session.execute(delete(Attachment))
        write_state(session, CURSOR_PROTOCOL, earned_with)


def _links(relay: Relay) -> list[str]:
    with relay.services.database.read() as session:
        return list(session.scalars(select(Attachment.id)))


def test_a_cursor_from_protocol_1_is_followed_by_a_full_snapshot(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    writer, reader = make_relay("a"), make_relay("b")
    link = _linked_photo(writer)
    assert writer.sync().in_sync
    assert reader.sync().in_sync and _links(reader) == [link]

    # Same cursor, marked as earned with the current protocol: nothing to pull, the link stays lost.
    _forget_links(reader, str(PROTOCOL_VERSION))
    assert reader.sync().idle and _links(reader) == []

    _forget_links(reader, "1")
    summary = reader.sync()
    assert summary.in_sync and _links(reader) == [link]
    with reader.services.database.read() as session:
        assert read_state(session, CURSOR_PROTOCOL) == str(PROTOCOL_VERSION)
    # Once renewed, the next sync is the one-request idle check again.
    assert reader.sync().idle
