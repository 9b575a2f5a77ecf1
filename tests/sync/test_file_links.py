"""Files linked on one device reach the others: the link syncs like a record, the bytes follow."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFile, RecordFileService
from relay_app.store.models import Attachment, PendingChange
from relay_app.sync.conflicts import ConflictService
from relay_app.sync.connect import files_dir
from relay_app.sync.data_saver import read_data_saver, write_data_saver
from relay_app.sync.downloads import partial_path
from relay_app.sync.errors import Cancelled
from relay_app.sync.progress import Phase, SyncProgress
from tests import factories
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import partner


def _files(relay: Relay) -> RecordFileService:
    store = AttachmentStore(files_dir(relay.data_dir))
    return RecordFileService(relay.services.database, store, None)


def _photo(relay: Relay, size: int, *, caption: str | None = None) -> tuple[str, RecordFile]:
    """A partner with a poster of ``size`` random bytes, as a person adds it: (partner id, file)."""
    owner = relay.services.records("partners").create(partner(1)).id
    files = _files(relay)
    stored = files.store.put_bytes(os.urandom(size))
    linked = files.link("partners", owner, "poster", stored, "image/jpeg",
                        filename="parcelle.jpg", caption=caption)
    return owner, linked


def _local_file(relay: Relay, sha256: str) -> bytes | None:
    path = files_dir(relay.data_dir) / sha256
    return path.read_bytes() if path.is_file() else None


def test_a_photo_added_on_one_device_appears_on_another_with_its_bytes(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    owner, linked = _photo(first, 300_000, caption="Compost trial")

    sent = first.sync()
    assert sent.in_sync and sent.files_uploaded == 1 and sent.pending == 0

    steps: list[SyncProgress] = []
    received = second.sync(progress=steps.append)
    assert received.in_sync and received.files_downloaded == 1
    assert received.files_to_download == 0 and received.files_failed == 0
    assert any(step.phase is Phase.DOWNLOADING and step.done > 0 for step in steps)
    [shown] = _files(second).list("partners", owner)
    assert (shown.id, shown.caption, shown.sha256) == (linked.id, "Compost trial", linked.sha256)
    content = _local_file(second, linked.sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == linked.sha256
    assert not partial_path(files_dir(second.data_dir), linked.sha256).exists()
    # A downloaded photo is as private as the database, whatever the umask said.
    if os.name == "posix":
        mode = stat.S_IMODE((files_dir(second.data_dir) / linked.sha256).stat().st_mode)
        assert mode == 0o600, oct(mode)

    again = second.sync()
    assert again.idle and again.files_downloaded == 0


def test_an_unlinked_photo_disappears_on_the_other_device(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    owner, linked = _photo(first, 10_000)
    assert first.sync().in_sync
    assert second.sync().files_downloaded == 1
    assert [item.id for item in _files(second).list("partners", owner)] == [linked.id]

    _files(first).unlink(linked.id)
    assert first.sync().in_sync
    assert second.sync().in_sync
    assert _files(second).list("partners", owner) == []
    with second.services.database.read() as session:
        row = session.scalars(select(Attachment).where(Attachment.id == linked.id)).one()
        assert row.deleted


def test_a_file_not_on_the_server_yet_waits_without_failing_the_run(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    _owner, linked = _photo(first, 50_000)
    records_only = first.engine().sync(files=False)
    assert records_only.in_sync and records_only.files_uploaded == 0
    assert records_only.files_pending == 1

    early = second.sync()
    assert early.in_sync and early.files_failed == 0
    assert early.files_downloaded == 0 and early.files_to_download == 1
    assert _local_file(second, linked.sha256) is None

    assert first.sync().files_uploaded == 1
    later = second.sync()
    assert later.files_downloaded == 1 and later.files_to_download == 0
    assert _local_file(second, linked.sha256) is not None


def test_a_download_cut_mid_file_resumes_from_the_partial_file(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    size = 1_500_000
    _owner, linked = _photo(first, size)
    assert first.sync().files_uploaded == 1

    faults = Faults(latency=0.001, bandwidth=4_000_000, cut_response=0.01, seed=5)
    with FaultProxy(central.server.port, faults) as proxy:
        summary = second.engine(server_url=proxy.url).sync()

    assert proxy.stats.responses_cut > 0
    assert summary.files_downloaded == 1 and summary.files_failed == 0
    content = _local_file(second, linked.sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == linked.sha256
    # Resumed with Range from what had arrived: far less than the file sent again per cut.
    assert proxy.stats.bytes_down < 2 * size


def test_a_partial_file_left_by_an_earlier_run_is_resumed_not_restarted(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    size = 800_000
    _owner, linked = _photo(first, size)
    assert first.sync().files_uploaded == 1
    content = _local_file(first, linked.sha256)
    assert content is not None
    records_only = second.engine().sync(files=False)
    assert records_only.files_to_download == 1
    # What a closed app left behind: the first 600 kB, already on disk.
    partial = partial_path(files_dir(second.data_dir), linked.sha256)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(content[:600_000])

    summary = second.sync()
    assert summary.files_downloaded == 1
    assert _local_file(second, linked.sha256) == content
    assert summary.bytes_received < 300_000  # only the missing 200 kB (and the small answers)


def test_a_corrupted_partial_file_is_detected_and_fetched_again(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    _owner, linked = _photo(first, 400_000)
    assert first.sync().files_uploaded == 1
    assert second.engine().sync(files=False).files_to_download == 1
    partial = partial_path(files_dir(second.data_dir), linked.sha256)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(os.urandom(100_000))  # the right length of the wrong bytes

    damaged = second.sync()
    assert damaged.files_failed == 1 and damaged.files_downloaded == 0
    assert damaged.files_to_download == 1 and damaged.in_sync
    assert not partial.exists() and _local_file(second, linked.sha256) is None

    repaired = second.sync()
    assert repaired.files_downloaded == 1 and repaired.files_failed == 0
    content = _local_file(second, linked.sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == linked.sha256


def test_the_data_saver_moves_records_first_and_files_when_asked(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    assert not read_data_saver(first.services.database)
    write_data_saver(first.services.database, True)
    write_data_saver(second.services.database, True)
    assert read_data_saver(first.services.database)
    _owner, linked = _photo(first, 200_000)

    # A run that moved a few records cannot tell a good link: the files wait.
    held = first.sync()
    assert held.in_sync and held.pushed == 2 and held.files_uploaded == 0
    assert held.files_held_back and held.files_pending == 1
    received = second.sync()
    assert received.in_sync and received.pulled == 2
    assert received.files_held_back and received.files_to_download == 1
    assert second.engine().tick().files_downloaded == 0

    moved = first.engine().sync(files=True)
    assert moved.files_uploaded == 1 and not moved.files_held_back
    fetched = second.engine().sync(files=True)
    assert fetched.files_downloaded == 1 and not fetched.files_held_back
    assert _local_file(second, linked.sha256) is not None

    write_data_saver(second.services.database, False)
    assert not read_data_saver(second.services.database)


def test_a_cancelled_download_keeps_its_partial_file_and_the_next_sync_finishes_it(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    size = 1_200_000
    _owner, linked = _photo(first, size)
    assert first.sync().files_uploaded == 1
    engine = second.engine()
    cancelled_at: list[float] = []

    def cancel_mid_file(step: SyncProgress) -> None:
        if step.phase is Phase.DOWNLOADING and step.done > 0 and not cancelled_at:
            cancelled_at.append(time.monotonic())
            engine.cancel()

    engine.progress = cancel_mid_file
    with pytest.raises(Cancelled):
        engine.sync()
    assert time.monotonic() - cancelled_at[0] < 1.0
    partial = partial_path(files_dir(second.data_dir), linked.sha256)
    kept = partial.stat().st_size
    assert 0 < kept < size and _local_file(second, linked.sha256) is None

    finished = second.sync()
    assert finished.files_downloaded == 1
    assert finished.bytes_received < size - kept + 100_000  # the rest, not the whole file again
    content = _local_file(second, linked.sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == linked.sha256


def test_a_caption_edited_on_two_devices_is_a_conflict_a_person_decides(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    owner, linked = _photo(first, 5_000, caption="Parcelle nord")
    assert first.sync().in_sync and second.sync().in_sync
    _files(first).set_caption(linked.id, "Parcelle nord, 2026")
    _files(second).set_caption(linked.id, "Northern plot")
    assert first.sync().in_sync

    clashed = second.sync()
    assert clashed.conflicts == 1 and not clashed.in_sync
    conflicts = ConflictService(second.services.database)
    [conflict] = conflicts.list()
    assert (conflict.kind, conflict.field) == ("attachments", "caption")
    assert (conflict.mine, conflict.theirs) == ("Northern plot", "Parcelle nord, 2026")
    assert conflict.summary == "Parcelle nord, 2026"  # the file shows the server's caption

    conflicts.resolve(conflict.id, keep="mine")
    assert second.sync().in_sync and first.sync().in_sync
    for relay in (first, second):
        [shown] = _files(relay).list("partners", owner)
        assert shown.caption == "Northern plot"


def test_a_link_whose_owner_the_server_refused_waits_and_follows_its_owner(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay("a", regions=["western_europe"])
    records = relay.services.records("partners")
    owner = records.create(partner(1, country="BR", region="latin_america_caribbean")).id
    files = _files(relay)
    linked = files.link("partners", owner, "logo", files.store.put_bytes(b"logo"), "image/png")

    refused = relay.sync()
    assert refused.rejected == 2 and refused.pending == 2 and not refused.in_sync
    with relay.services.database.read() as session:
        entry = session.scalars(
            select(PendingChange).where(PendingChange.record_id == linked.id)
        ).one()
        assert entry.attempts == 1 and entry.last_error
        assert entry.last_error.startswith("Record identifier: ")  # owner_id, by its form label
        assert entry.next_attempt_at is not None  # the usual backoff

    records.update(owner, {"country": "FR", "region": "western_europe"})
    accepted = relay.sync()
    assert accepted.in_sync and accepted.pushed == 2


def test_the_order_of_a_records_photos_reaches_the_other_device(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("a"), make_relay("b")
    files = _files(first)
    # Logos and posters go one at a time; a practice's photos are the files with an order.
    practice = first.services.records("practices").create(
        factories.practice(country="FR", region=None)
    ).id
    photos = [
        files.link("practices", practice, "photo", files.store.put_bytes(os.urandom(2_000)),
                   "image/jpeg", filename=f"{n}.jpg").id
        for n in range(3)
    ]
    assert first.sync().in_sync and second.sync().in_sync
    theirs = _files(second)
    assert [item.id for item in theirs.list("practices", practice, "photo")] == photos

    wanted = [photos[2], photos[0], photos[1]]
    files.reorder("practices", practice, "photo", wanted)
    sent = first.sync()
    assert sent.in_sync and sent.pushed == 3
    assert second.sync().in_sync
    assert [item.id for item in theirs.list("practices", practice, "photo")] == wanted
