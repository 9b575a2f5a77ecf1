"""The files of a record: a partner's logo and poster, a practice's photos.

Each link is a row of the ``attachments`` table pointing at content kept once in the
``AttachmentStore`` (by sha256): the same photo added twice is two rows, because the person added
it twice, but one file. Removing a file is a tombstone (``deleted``), so it can be undone and the
removal can sync; the stored content stays, other rows may share it.

A link syncs like any record (kind ``attachments``, protocol 2): every write here puts its outbox
entry in the same transaction, as ``RecordService`` does. The bytes travel apart, by their sha256:
the sync engine uploads every file a live link names and downloads those linked elsewhere. The
order of a record's files is the links' ``position`` (synced too; ties and links without one fall
back to their creation order).

``exif_gps`` reads the position a camera wrote into a JPEG, from the EXIF APP1 segment.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from relay_app.forms import FILE_KIND, form_for
from relay_app.services.attachments import AttachmentStore, StoredFile
from relay_app.services.errors import NotFound
from relay_app.services.outbox import device_identity, record_change
from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS, Attachment
from relay_app.store.types import utc_now

ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    "partners": ("logo", "poster"),
    "practices": ("photo",),
}
SINGLE_ROLES = frozenset({"logo", "poster"})  # one at a time: adding another replaces it


@dataclass(frozen=True)
class RecordFile:
    id: str
    owner_kind: str
    owner_id: str
    role: str
    sha256: str
    media_type: str
    size: int
    filename: str | None
    caption: str | None
    deleted: bool


@dataclass(frozen=True)
class GpsPosition:
    latitude: float
    longitude: float


class RecordFileService:
    """Links files to records, lists them in order, and removes them (undoably)."""

    def __init__(self, database: Database, store: AttachmentStore, device_id: str | None) -> None:
        self.database = database
        self.store = store
        self.device_id = device_id

    def path_for(self, file: RecordFile) -> Path:
        return self.store.path_for(file.sha256)

    def link(
        self,
        owner_kind: str,
        owner_id: str,
        role: str,
        stored: StoredFile,
        media_type: str,
        *,
        filename: str | None = None,
        caption: str | None = None,
    ) -> RecordFile:
        """Attach stored content to a record; a logo or poster replaces the one before."""
        _check_role(owner_kind, role)
        with self.database.write() as session:
            _check_owner(session, owner_kind, owner_id)
            if role in SINGLE_ROLES:
                for previous in _live_rows(session, owner_kind, owner_id, role):
                    _tombstone(session, previous)
            row = Attachment(
                id=str(uuid.uuid4()),
                owner_kind=owner_kind,
                owner_id=owner_id,
                role=role,
                sha256=stored.sha256,
                media_type=media_type,
                size=stored.size,
                filename=filename,
                caption=caption or None,
                position=_next_position(session, owner_kind, owner_id, role),
                origin_device=self.device_id or device_identity(session).device_id,
            )
            filled = _filled_fields(row)
            row.dirty_fields = filled
            session.add(row)
            record_change(session, FILE_KIND, row.id, "upsert", filled, new_record=True)
            session.flush()
            return _view(row)

    def unlink(self, file_id: str) -> RecordFile:
        """Remove a file from its record (a tombstone, see ``restore``)."""
        with self.database.write() as session:
            row = _row(session, file_id)
            _tombstone(session, row)
            return _view(row)

    def restore(self, file_id: str) -> RecordFile:
        """Undo ``unlink``."""
        with self.database.write() as session:
            row = _row(session, file_id)
            if row.deleted:
                row.deleted = False
                row.deleted_at = None
                # The removal may have synced already: restoring re-asserts every value it holds.
                _touch(session, row, _filled_fields(row))
            return _view(row)

    def set_caption(self, file_id: str, caption: str) -> RecordFile:
        with self.database.write() as session:
            row = _row(session, file_id)
            if row.deleted:  # a removed file keeps its caption; editing it would bring it back
                raise NotFound(FILE_KIND, file_id)
            cleaned = caption.strip() or None
            if cleaned != row.caption:
                row.caption = cleaned
                _touch(session, row, ["caption"])
            return _view(row)

    def list(self, owner_kind: str, owner_id: str, role: str | None = None) -> list[RecordFile]:
        """The record's live files, in the order they were added (or ``reorder``-ed)."""
        with self.database.read() as session:
            statement = _ordered(owner_kind, owner_id, role)
            return [_view(row) for row in session.scalars(statement)]

    def reorder(
        self, owner_kind: str, owner_id: str, role: str, file_ids: Sequence[str]
    ) -> list[RecordFile]:
        """Put the record's files of ``role`` in the order of ``file_ids`` (all of them, once).

        Each file whose place changes gets its new ``position``, a synced field: the order
        reaches the other devices like a caption does.
        """
        with self.database.write() as session:
            rows = _live_rows(session, owner_kind, owner_id, role)
            by_id = {row.id: row for row in rows}
            if sorted(file_ids) != sorted(by_id):
                raise ValueError("reorder needs every live file of the record exactly once")
            for position, file_id in enumerate(file_ids):
                row = by_id[file_id]
                if row.position != position:
                    row.position = position
                    _touch(session, row, ["position"])
            session.flush()
            return [_view(row) for row in session.scalars(_ordered(owner_kind, owner_id, role))]


def remove_links_of(session: Session, owner_kind: str, owner_id: str, when: datetime) -> None:
    """With its record: every live file link of a record being deleted, stamped ``when``.

    A link outliving its record would be refused by the server for good when the record never
    reached it, and would linger on the other devices otherwise.
    """
    for row in session.scalars(_ordered(owner_kind, owner_id, None)):
        _tombstone(session, row, when)


def remove_links_of_many(
    session: Session, owner_kind: str, owner_ids: Sequence[str], when: datetime
) -> None:
    """``remove_links_of`` for many records at once: one query per 500 records, not per record."""
    for start in range(0, len(owner_ids), 500):
        chunk = list(owner_ids[start : start + 500])
        links = session.scalars(
            select(Attachment).where(
                Attachment.owner_kind == owner_kind,
                Attachment.owner_id.in_(chunk),
                Attachment.deleted.is_(False),
            ).order_by(Attachment.row_id)
        ).all()
        for row in links:
            _tombstone(session, row, when)


def restore_links_of(session: Session, owner_kind: str, owner_id: str, removed_at: datetime) -> None:
    """Undo ``remove_links_of``: the links removed with the record (same stamp) come back."""
    removed = session.scalars(
        select(Attachment).where(
            Attachment.owner_kind == owner_kind,
            Attachment.owner_id == owner_id,
            Attachment.deleted.is_(True),
            Attachment.deleted_at == removed_at,
        )
    )
    for row in removed:
        row.deleted = False
        row.deleted_at = None
        _touch(session, row, _filled_fields(row))


def _check_role(owner_kind: str, role: str) -> None:
    if role not in ROLES_BY_KIND.get(owner_kind, ()):
        raise ValueError(f"{owner_kind!r} records have no {role!r} files")


def _check_owner(session: Session, owner_kind: str, owner_id: str) -> None:
    model = RECORD_MODELS[owner_kind]
    found = session.scalars(
        select(model.row_id).where(model.id == owner_id, model.deleted.is_(False))  # type: ignore[attr-defined]
    ).first()
    if found is None:
        raise NotFound(owner_kind, owner_id)


def _ordered(owner_kind: str, owner_id: str, role: str | None) -> Select[tuple[Attachment]]:
    statement = select(Attachment).where(
        Attachment.owner_kind == owner_kind,
        Attachment.owner_id == owner_id,
        Attachment.deleted.is_(False),
    )
    if role is not None:
        statement = statement.where(Attachment.role == role)
    # Links made before positions existed (or by an older peer) have none: after, by age.
    return statement.order_by(
        Attachment.position.is_(None), Attachment.position, Attachment.created_at, Attachment.row_id
    )


def _next_position(session: Session, owner_kind: str, owner_id: str, role: str) -> int:
    """After the record's other live files of ``role``."""
    last = session.scalar(
        select(func.max(Attachment.position)).where(
            Attachment.owner_kind == owner_kind,
            Attachment.owner_id == owner_id,
            Attachment.role == role,
            Attachment.deleted.is_(False),
        )
    )
    return 0 if last is None else last + 1


def _live_rows(session: Session, owner_kind: str, owner_id: str, role: str) -> list[Attachment]:
    return list(session.scalars(_ordered(owner_kind, owner_id, role)))


def _row(session: Session, file_id: str) -> Attachment:
    row = session.scalars(select(Attachment).where(Attachment.id == file_id)).one_or_none()
    if row is None:
        raise NotFound("attachments", file_id)
    return row


def _filled_fields(row: Attachment) -> list[str]:
    names = form_for(FILE_KIND).field_names()
    return sorted(name for name in names if getattr(row, name) not in (None, "", []))


def _touch(session: Session, row: Attachment, fields: Sequence[str]) -> None:
    """Mark synced fields as changed here, with their outbox entry in the same transaction."""
    row.updated_at = utc_now()
    row.dirty_fields = sorted({*(row.dirty_fields or []), *fields})
    record_change(session, FILE_KIND, row.id, "upsert", fields)


def _tombstone(session: Session, row: Attachment, when: datetime | None = None) -> None:
    if not row.deleted:
        now = when or utc_now()
        row.deleted = True
        row.deleted_at = now
        row.updated_at = now
        record_change(session, FILE_KIND, row.id, "delete")


def _view(row: Attachment) -> RecordFile:
    return RecordFile(
        id=row.id,
        owner_kind=row.owner_kind,
        owner_id=row.owner_id,
        role=row.role,
        sha256=row.sha256,
        media_type=row.media_type,
        size=row.size,
        filename=row.filename,
        caption=row.caption,
        deleted=bool(row.deleted),
    )


# -- EXIF GPS -------------------------------------------------------------------------------------

_GPS_IFD_POINTER = 0x8825
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_ASCII, _LONG, _RATIONAL = 2, 4, 5


def exif_gps(data: bytes) -> GpsPosition | None:
    """The position in a JPEG's EXIF data, or None when it has none (or it is unreadable)."""
    tiff = _exif_block(data)
    if tiff is None:
        return None
    try:
        return _gps_from_tiff(tiff)
    except (struct.error, IndexError, ZeroDivisionError, ValueError):
        return None


def exif_gps_of_file(path: Path) -> GpsPosition | None:
    # EXIF sits in the first 64 KiB (an APP1 segment cannot be longer).
    with path.open("rb") as handle:
        return exif_gps(handle.read(128 * 1024))


def _exif_block(data: bytes) -> bytes | None:
    """The TIFF structure inside the JPEG's ``Exif`` APP1 segment."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata past here
            return None
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        segment = data[at + 4 : at + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\x00\x00"):
            return segment[6:]
        at += 2 + length
    return None


def _gps_from_tiff(tiff: bytes) -> GpsPosition | None:
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or struct.unpack(order + "H", tiff[2:4])[0] != 42:
        return None
    (ifd0,) = struct.unpack(order + "I", tiff[4:8])
    pointer = _entries(tiff, order, ifd0).get(_GPS_IFD_POINTER)
    if pointer is None:
        return None
    gps = _entries(tiff, order, _long_value(order, pointer))
    needed = (_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON)
    if not all(tag in gps for tag in needed):
        return None
    latitude = _degrees(tiff, order, gps[_GPS_LAT])
    longitude = _degrees(tiff, order, gps[_GPS_LON])
    if _ascii_value(gps[_GPS_LAT_REF]).upper().startswith("S"):
        latitude = -latitude
    if _ascii_value(gps[_GPS_LON_REF]).upper().startswith("W"):
        longitude = -longitude
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return GpsPosition(round(latitude, 7), round(longitude, 7))


_Entry = tuple[int, int, bytes]  # type, count, the 4 bytes that hold the value or its offset


def _entries(tiff: bytes, order: str, offset: int) -> dict[int, _Entry]:
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    found: dict[int, _Entry] = {}
    for index in range(count):
        start = offset + 2 + 12 * index
        tag, kind, items = struct.unpack(order + "HHI", tiff[start : start + 8])
        raw = tiff[start + 8 : start + 12]
        if len(raw) != 4:
            raise ValueError("IFD runs past the end of the EXIF block")
        found[tag] = (kind, items, raw)
    return found


def _long_value(order: str, entry: _Entry) -> int:
    kind, _items, raw = entry
    if kind != _LONG:
        raise ValueError("GPS pointer is not a LONG")
    (value,) = struct.unpack(order + "I", raw)
    return int(value)


def _ascii_value(entry: _Entry) -> str:
    kind, items, raw = entry
    if kind != _ASCII:
        raise ValueError("reference is not ASCII")
    return raw[:items].split(b"\x00", 1)[0].decode("ascii", "replace")  # N/S/E/W fit inline


def _degrees(tiff: bytes, order: str, entry: _Entry) -> float:
    """Degrees, minutes, seconds as three rationals, folded into decimal degrees."""
    kind, items, raw = entry
    if kind != _RATIONAL or items != 3:
        raise ValueError("coordinate is not three rationals")
    (offset,) = struct.unpack(order + "I", raw)
    values = struct.unpack(order + "6I", tiff[offset : offset + 24])
    degrees, minutes, seconds = (values[i] / values[i + 1] for i in (0, 2, 4))
    return degrees + minutes / 60 + seconds / 3600
