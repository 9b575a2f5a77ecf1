"""The central server's tables. The migrations in relay_central/migrations create exactly these."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# JSONB on PostgreSQL (compact, comparable), plain JSON text elsewhere.
JsonColumn = JSON().with_variant(JSONB(), "postgresql")


def compact_json(value: Any) -> str:
    """JSON as the server stores it (`db.make_engine`): no spaces after separators."""
    return json.dumps(value, separators=(",", ":"))


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes stored as ISO 8601 text: identical on SQLite and PostgreSQL."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ServerState(Base):
    """A single row: who this server is and where its change feed stands."""

    __tablename__ = "server_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Changes whenever cursors issued before must stop being trusted (e.g. after a restore).
    server_id: Mapped[str] = mapped_column(String(32))
    last_change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Changes up to this sequence may have been pruned: older cursors get `resync`.
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ServerIdentity(Base):
    """A single row: who this server is to its devices, reported as `server_id` by the API.

    Tokens are bound to it, not to an address, so a server reached under a new name keeps its
    devices. Unlike `ServerState.server_id` (the cursors' epoch) it never changes: a restored
    backup is still the same server to the devices it enrolled.
    """

    __tablename__ = "server_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Relay(Base):
    __tablename__ = "relays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    regions: Mapped[list[str]] = mapped_column(JsonColumn)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    relay_id: Mapped[int] = mapped_column(ForeignKey("relays.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The device that spent the code: it alone may present it again while its answer may have been
    # lost (see relay_central.enrolment).
    used_by: Mapped[int | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL"), nullable=True
    )


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), unique=True)
    relay_id: Mapped[int] = mapped_column(ForeignKey("relays.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Record(Base):
    """The current state of one synced record (a tombstone once deleted)."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_change_seq", "change_seq", unique=True),
        Index("ix_records_forum_id", "forum_id"),
    )

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    values: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    # Copied out of `values` so that authorization can filter in SQL (for a file's link: the
    # region of its owner when the link was last written).
    region: Mapped[str | None] = mapped_column(String(64), nullable=True)
    forum_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    change_seq: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL"), nullable=True
    )
    # The push answer told `updated_by` everything needed to hold exactly this version: pull may
    # send that device its own change back without values (protocol 2, "own-change echo").
    writer_informed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RecordVersion(Base):
    """Every version's full values: the base of a later three-way merge."""

    __tablename__ = "record_versions"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    values: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    device: Mapped[int | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL"), nullable=True
    )


class ScopeExit(Base):
    """A region whose relays may hold a registration the record has since left (its forum moved
    to another region, or it moved to a forum of another region): they are sent a removal."""

    __tablename__ = "scope_exits"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AppliedChange(Base):
    """The first answer given to (device, seq): a replay gets it again and applies nothing."""

    __tablename__ = "applied_changes"

    device: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PushVolume(Base):
    """What one device's pushes stored on one UTC day: the bound that keeps it from filling the
    disk (`relay_central.volume`)."""

    __tablename__ = "push_volume"

    device: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, UTC
    changes: Mapped[int] = mapped_column(BigInteger, default=0)
    stored_bytes: Mapped[int] = mapped_column(BigInteger, default=0)


class Attachment(Base):
    """A stored file, named by the sha256 of its content."""

    __tablename__ = "attachments"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL"), nullable=True
    )


class Upload(Base):
    """A resumable (tus) upload in progress; `offset` is what is safely on disk."""

    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("device", "sha256", name="uq_uploads_device_sha256"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    device: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    media_type: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
