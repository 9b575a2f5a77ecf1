"""The local SQLite schema as SQLAlchemy 2 typed models.

Every synced record table shares :class:`SyncedRecord`: a UUID made on the device, timestamps for
display, a tombstone flag, the server version the record was last synced at (``base_version``) and the
fields changed locally since then (``dirty_fields``) - what a field-level three-way merge needs.
``row_id`` is an explicit integer primary key so SQLite rowids stay stable across VACUUM: the full-text
index (external-content FTS5) refers to records by it.

References between records (a practice's partner, a registration's forum) are plain columns checked by
the services, not foreign keys: a sync page may deliver a registration before the forum it belongs to.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from relay_app.store.types import UTCDateTime, utc_now


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


class SyncedRecord:
    """Columns shared by every record that syncs with the central platform."""

    row_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    deleted_at: Mapped[datetime | None]
    origin_device: Mapped[str | None] = mapped_column(String(36))
    base_version: Mapped[int | None] = mapped_column(Integer)
    dirty_fields: Mapped[list[str]] = mapped_column(JSON, default=list)


class Partner(SyncedRecord, Base):
    __tablename__ = "partners"

    name: Mapped[str] = mapped_column(String(200))
    acronym: Mapped[str | None] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    college: Mapped[str] = mapped_column(String(40), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(40), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    activities: Mapped[str | None] = mapped_column(Text)
    interests: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")


class Practice(SyncedRecord, Base):
    __tablename__ = "practices"

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    tutorial_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    conceptual_basis: Mapped[str | None] = mapped_column(String(40))
    land_use: Mapped[str] = mapped_column(String(40), index=True)
    category: Mapped[str] = mapped_column(String(60), index=True)
    climate_zone: Mapped[str | None] = mapped_column(String(40), index=True)
    soil_group: Mapped[str | None] = mapped_column(String(2))
    country: Mapped[str] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(40), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    area_ha: Mapped[float | None] = mapped_column(Float)
    start_year: Mapped[int | None] = mapped_column(Integer)
    soc_before_t_ha: Mapped[float | None] = mapped_column(Float)
    soc_after_t_ha: Mapped[float | None] = mapped_column(Float)
    soc_depth_cm: Mapped[float | None] = mapped_column(Float)
    soc_years: Mapped[float | None] = mapped_column(Float)
    soc_method: Mapped[str | None] = mapped_column(String(500))
    costs: Mapped[str | None] = mapped_column(Text)
    co_benefits: Mapped[str | None] = mapped_column(Text)
    references: Mapped[str | None] = mapped_column(Text)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)


class Forum(SyncedRecord, Base):
    __tablename__ = "forums"

    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(40), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))
    venue: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)


class Registration(SyncedRecord, Base):
    __tablename__ = "registrations"

    forum_id: Mapped[str] = mapped_column(String(36), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))
    college: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(40))
    travel_support: Mapped[bool] = mapped_column(Boolean, default=False)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[str | None] = mapped_column(String(100))
    registered_at: Mapped[datetime | None]
    # Set on the tombstone of a registration merged into another one: the one that was kept.
    merged_into: Mapped[str | None] = mapped_column(String(36))


class Attachment(SyncedRecord, Base):
    """A photo or document owned by a record; the bytes live in the data dir under their sha256."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)

    owner_kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[str] = mapped_column(String(36))
    role: Mapped[str] = mapped_column(String(20))  # logo, poster, photo
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str | None] = mapped_column(String(255))
    caption: Mapped[str | None] = mapped_column(Text)
    # Order among the owner's files of one role (synced); None sorts after, by creation time.
    position: Mapped[int | None] = mapped_column(Integer)


class CheckIn(SyncedRecord, Base):
    """One scan at a forum's door: an entry, an exit, or the cancelling of an earlier scan.

    Written once and never edited (append-only): ``id`` is the scan's random idempotency key, and
    "checked in" is derived from the log (relay_app.services.checkin).
    """

    __tablename__ = "checkins"

    registration_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    device_name: Mapped[str | None] = mapped_column(String(100))
    scanned_at: Mapped[datetime]
    direction: Mapped[str] = mapped_column(String(10))  # entry, exit, cancel
    cancels: Mapped[str | None] = mapped_column(String(36))
    offline: Mapped[bool] = mapped_column(Boolean, default=False)


class PendingChange(Base):
    """The outbox: one row per record with unsent local changes, coalesced.

    Each coalescing edit takes a fresh ``seq`` from the device counter, so the server can tell a replay
    of a change it already applied (same device, same seq) from a newer edit of the same record.
    """

    __tablename__ = "pending_changes"
    __table_args__ = (UniqueConstraint("kind", "record_id", name="uq_pending_changes_record"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    # The seq last sent to the server whose receipt has not been stored: if an edit has moved the
    # entry on to a new seq since, the server is asked about this one first (it remembers answers).
    sent_seq: Mapped[int | None] = mapped_column(Integer)


class DeviceIdentity(Base):
    """This installation's identity, made once, and its change sequence counter."""

    __tablename__ = "device_identity"

    singleton: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    device_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class SyncState(Base):
    """Small key/value facts about sync (pull cursor, server URL, last success)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


RECORD_MODELS: dict[str, type[SyncedRecord]] = {
    "partners": Partner,
    "practices": Practice,
    "forums": Forum,
    "registrations": Registration,
}
# Everything the sync engine carries: the records people list, the files linked to them, and the
# check-in log of forums (protocol 3).
SYNCED_MODELS: dict[str, type[SyncedRecord]] = {
    **RECORD_MODELS, "attachments": Attachment, "checkins": CheckIn
}


class SyncConflict(Base):
    """A field changed on this device and on the server to different values, kept for a person.

    The server's value stands in the record until someone resolves the conflict; both values (and the
    base they were edited from) are JSON as the wire carries them. ``field`` is ``_deleted`` when one
    side deleted the record and the other edited it.
    """

    __tablename__ = "sync_conflicts"
    __table_args__ = (UniqueConstraint("kind", "record_id", "field", name="uq_sync_conflicts_field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    server_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class SyncRun(Base):
    """One sync attempt and what it moved, for the sync history and support."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_url: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20), default="running")  # running, ok, failed, cancelled
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    bytes_sent: Mapped[int] = mapped_column(Integer, default=0)
    bytes_received: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class SnapshotSeen(Base):
    """Records a resync snapshot has delivered so far; the rest are removed when it ends.

    Filled page by page in the page's own transaction, so an interrupted snapshot resumes exactly.
    """

    __tablename__ = "sync_snapshot_seen"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class AttachmentUpload(Base):
    """Where this device's upload of one file stands on the server (tus), across restarts.

    ``location`` is the upload's address (its offset is asked of the server with HEAD, which only
    counts bytes safely stored); ``done`` once the server holds the file.
    """

    __tablename__ = "attachment_uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    location: Mapped[str | None] = mapped_column(String(300))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class MergeTombstoneDue(Base):
    """A registration merged away whose deletion waits until its ``merged_into`` is on the server.

    A delete carries no values on the wire, so the pointer travels first as an ordinary edit and
    the delete follows once that edit has left the outbox (see ``services.duplicates``).
    """

    __tablename__ = "merge_tombstones_due"

    registration_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kept_id: Mapped[str] = mapped_column(String(36))
    merged_at: Mapped[datetime] = mapped_column(default=utc_now)


class RecordToFetch(Base):
    """A record the feed announced as this device's own change while the device holds an older copy.

    Stored with the pulled page and its cursor, in one transaction, and removed with the values
    fetched by ``sync/records``: a crash between the two loses nothing.
    """

    __tablename__ = "sync_records_to_fetch"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)  # the version the feed announced
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ImportBatch(Base):
    """One import of a file: its records can be removed together while nobody has changed them."""

    __tablename__ = "import_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(260))
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    undone_at: Mapped[datetime | None]


class ImportBatchRecord(Base):
    """A record an import created, with its ``updated_at`` then: a later edit changes it."""

    __tablename__ = "import_batch_records"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    version: Mapped[datetime] = mapped_column()


class ImportBatchUpdate(Base):
    """A record an import updated: the values it replaced (JSON, only the fields it changed) and its
    ``updated_at`` after the import, so undo can put them back while nobody has changed it since;
    and its ``updated_at`` before, so an earlier import's undo still knows it once put back."""

    __tablename__ = "import_batch_updates"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    version: Mapped[datetime] = mapped_column()
    version_before: Mapped[datetime] = mapped_column()
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)


class ImportMapping(Base):
    """The column -> field mapping last used for a set of headers (kind + sorted folded headers)."""

    __tablename__ = "import_mappings"

    headers_key: Mapped[str] = mapped_column(String(2000), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    columns: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
