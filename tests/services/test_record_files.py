"""Files of records: linked, listed in order, removed as tombstones and restored; EXIF GPS read."""

from __future__ import annotations

import struct

import pytest
from sqlalchemy import select

from relay_app.services import Services
from relay_app.services.attachments import AttachmentStore
from relay_app.services.errors import NotFound
from relay_app.services.record_files import (
    GpsPosition,
    RecordFileService,
    exif_gps,
    exif_gps_of_file,
)
from relay_app.store.models import Attachment, PendingChange
from tests import factories


def exif_segment(
    latitude: tuple[tuple[int, int], ...],
    lat_ref: bytes,
    longitude: tuple[tuple[int, int], ...],
    lon_ref: bytes,
    *,
    order: str = "<",
) -> bytes:
    """An APP1 ``Exif`` segment holding only a GPS IFD, as a camera writes it."""
    mark = b"II" if order == "<" else b"MM"
    header = mark + struct.pack(order + "HI", 42, 8)
    ifd0 = struct.pack(order + "H", 1) + struct.pack(order + "HHII", 0x8825, 4, 1, 26)
    ifd0 += struct.pack(order + "I", 0)
    entries = [
        struct.pack(order + "HHI", 1, 2, 2) + lat_ref.ljust(4, b"\x00"),
        struct.pack(order + "HHII", 2, 5, 3, 80),
        struct.pack(order + "HHI", 3, 2, 2) + lon_ref.ljust(4, b"\x00"),
        struct.pack(order + "HHII", 4, 5, 3, 104),
    ]
    gps = struct.pack(order + "H", 4) + b"".join(entries) + struct.pack(order + "I", 0)
    rationals = b"".join(struct.pack(order + "II", *pair) for pair in (*latitude, *longitude))
    tiff = header + ifd0 + gps + rationals
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_exif(jpeg: bytes, segment: bytes) -> bytes:
    """``jpeg`` with ``segment`` inserted right after its start-of-image marker."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


DAKAR = exif_segment(((14, 1), (41, 1), (2400, 100)), b"N", ((17, 1), (26, 1), (2400, 100)), b"W")
# A tiny stand-in for image data: the parser stops at the start of scan.
FAKE_JPEG = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + bytes(9) + b"\xff\xda"


def test_gps_is_read_from_a_little_endian_exif_block() -> None:
    position = exif_gps(with_exif(FAKE_JPEG, DAKAR))
    assert position == GpsPosition(14.69, -17.44)


def test_gps_is_read_from_a_big_endian_block_in_the_southern_hemisphere() -> None:
    segment = exif_segment(
        ((33, 1), (55, 1), (0, 1)), b"S", ((18, 1), (25, 1), (30, 1)), b"E", order=">"
    )
    position = exif_gps(with_exif(FAKE_JPEG, segment))
    assert position is not None
    assert position.latitude == pytest.approx(-33.9166667)
    assert position.longitude == pytest.approx(18.425)


def test_no_gps_when_there_is_no_exif_or_the_data_is_broken() -> None:
    assert exif_gps(FAKE_JPEG) is None
    assert exif_gps(b"not a jpeg") is None
    assert exif_gps(with_exif(FAKE_JPEG, DAKAR[:40])) is None  # cut short
    zero = exif_segment(((14, 0), (0, 1), (0, 1)), b"N", ((17, 1), (0, 1), (0, 1)), b"W")
    assert exif_gps(with_exif(FAKE_JPEG, zero)) is None  # a camera without a fix writes 0/0
    beyond = exif_segment(((95, 1), (0, 1), (0, 1)), b"N", ((17, 1), (0, 1), (0, 1)), b"W")
    assert exif_gps(with_exif(FAKE_JPEG, beyond)) is None


def test_gps_of_a_file_on_disk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "plot.jpg"
    photo.write_bytes(with_exif(FAKE_JPEG, DAKAR))
    assert exif_gps_of_file(photo) == GpsPosition(14.69, -17.44)


@pytest.fixture
def files(services: Services) -> RecordFileService:
    store = AttachmentStore(services.paths.attachments)
    return RecordFileService(services.database, store, services.device_id)


def test_same_photo_twice_is_two_links_to_one_file(
    services: Services, files: RecordFileService
) -> None:
    practice = services.records("practices").create(factories.practice())
    stored = files.store.put_bytes(b"photo bytes")
    again = files.store.put_bytes(b"photo bytes")
    first = files.link("practices", practice.id, "photo", stored, "image/jpeg", filename="a.jpg")
    second = files.link("practices", practice.id, "photo", again, "image/jpeg", filename="b.jpg")
    listed = files.list("practices", practice.id)
    assert [item.id for item in listed] == [first.id, second.id]
    assert {item.sha256 for item in listed} == {stored.sha256}
    assert again.already_stored
    assert sorted(p.name for p in services.paths.attachments.iterdir()) == [stored.sha256]
    assert files.path_for(first).read_bytes() == b"photo bytes"
    with services.database.read() as session:
        row = session.scalars(select(Attachment).where(Attachment.id == first.id)).one()
        assert row.origin_device == services.device_id
        assert "sha256" in row.dirty_fields
        # The link syncs like a record: its outbox entry was written with it.
        entry = session.scalars(
            select(PendingChange).where(PendingChange.record_id == first.id)
        ).one()
        assert entry.kind == "attachments" and entry.op == "upsert"
        assert {"owner_id", "sha256", "size", "filename"} <= set(entry.fields)


def test_unlink_is_a_tombstone_that_restore_undoes(
    services: Services, files: RecordFileService
) -> None:
    practice = services.records("practices").create(factories.practice())
    stored = files.store.put_bytes(b"one")
    linked = files.link("practices", practice.id, "photo", stored, "image/jpeg")
    removed = files.unlink(linked.id)
    assert removed.deleted and files.list("practices", practice.id) == []
    assert files.store.has(stored.sha256)  # content kept for the undo (and other owners)
    with services.database.read() as session:
        row = session.scalars(select(Attachment).where(Attachment.id == linked.id)).one()
        assert row.deleted and row.deleted_at is not None
        entry = session.scalars(
            select(PendingChange).where(PendingChange.record_id == linked.id)
        ).one()
        assert entry.op == "delete"
    files.restore(linked.id)
    assert [item.id for item in files.list("practices", practice.id)] == [linked.id]
    with services.database.read() as session:
        entry = session.scalars(
            select(PendingChange).where(PendingChange.record_id == linked.id)
        ).one()
        assert entry.op == "upsert" and "sha256" in entry.fields


def test_a_new_logo_replaces_the_old_one_and_roles_are_kept_apart(
    services: Services, files: RecordFileService
) -> None:
    partner = services.records("partners").create(factories.partner())
    old = files.link("partners", partner.id, "logo", files.store.put_bytes(b"old"), "image/png")
    new = files.link("partners", partner.id, "logo", files.store.put_bytes(b"new"), "image/png")
    poster = files.link(
        "partners", partner.id, "poster", files.store.put_bytes(b"poster"), "image/jpeg"
    )
    assert [item.id for item in files.list("partners", partner.id, "logo")] == [new.id]
    assert [item.id for item in files.list("partners", partner.id, "poster")] == [poster.id]
    assert old.id not in {item.id for item in files.list("partners", partner.id)}


def test_reorder_and_caption(services: Services, files: RecordFileService) -> None:
    practice = services.records("practices").create(factories.practice())
    linked = [
        files.link("practices", practice.id, "photo", files.store.put_bytes(bytes([n])), "image/jpeg")
        for n in range(3)
    ]
    with services.database.read() as session:
        before = dict(session.execute(select(PendingChange.record_id, PendingChange.seq)).all())
        assert [row.position for row in session.scalars(
            select(Attachment).order_by(Attachment.created_at, Attachment.row_id))] == [0, 1, 2]
    wanted = [linked[2].id, linked[0].id, linked[1].id]
    assert [item.id for item in files.reorder("practices", practice.id, "photo", wanted)] == wanted
    assert [item.id for item in files.list("practices", practice.id, "photo")] == wanted
    with pytest.raises(ValueError):
        files.reorder("practices", practice.id, "photo", wanted[:2])
    with services.database.read() as session:
        # The order syncs: every file whose place changed has `position` in its outbox entry.
        seqs = dict(session.execute(select(PendingChange.record_id, PendingChange.seq)).all())
        rows = {row.id: row for row in session.scalars(select(Attachment))}
        assert [rows[file_id].position for file_id in wanted] == [0, 1, 2]
        for file_id in wanted:
            assert "position" in rows[file_id].dirty_fields
            assert seqs[file_id] > before[file_id]
    # Putting them in the order they already have changes nothing.
    files.reorder("practices", practice.id, "photo", wanted)
    with services.database.read() as session:
        assert dict(session.execute(select(PendingChange.record_id, PendingChange.seq)).all()) == seqs
    files.set_caption(linked[0].id, "  Mulch after two seasons  ")
    assert files.list("practices", practice.id)[1].caption == "Mulch after two seasons"
    with services.database.read() as session:
        entry = session.scalars(
            select(PendingChange).where(PendingChange.record_id == linked[0].id)
        ).one()
        assert entry.seq > seqs[linked[0].id] and "caption" in entry.fields


def test_refuses_unknown_roles_and_missing_owners(
    services: Services, files: RecordFileService
) -> None:
    stored = files.store.put_bytes(b"x")
    partner = services.records("partners").create(factories.partner())
    with pytest.raises(ValueError):
        files.link("partners", partner.id, "photo", stored, "image/jpeg")
    with pytest.raises(NotFound):
        files.link("practices", "no-such-id", "photo", stored, "image/jpeg")
    with pytest.raises(NotFound):
        files.unlink("no-such-id")


def test_the_outbox_names_a_file_by_its_caption_or_file_name(
    services: Services, files: RecordFileService
) -> None:
    from relay_app.services.outbox_view import outbox_rows

    practice = services.records("practices").create(factories.practice())
    captioned = files.link("practices", practice.id, "photo", files.store.put_bytes(b"1"),
                           "image/jpeg", filename="IMG_0001.jpg", caption="Mulch, year two")
    named = files.link("practices", practice.id, "photo", files.store.put_bytes(b"2"),
                       "image/jpeg", filename="IMG_0002.jpg")
    rows = {row.record_id: row for row in outbox_rows(services.database)}
    assert rows[captioned.id].summary == "Mulch, year two"
    assert rows[named.id].summary == "IMG_0002.jpg"
    assert rows[named.id].kind == "attachments" and rows[named.id].kind_label == "Files"
    assert rows[practice.id].kind_label == "Practices"
