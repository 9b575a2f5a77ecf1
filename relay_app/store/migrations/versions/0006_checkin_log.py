"""Check-ins become their own synced log (protocol 3): one row per scan, never edited; a
registration carries when it was made (``registered_at``, synced: the waiting list's order).

Every registration that holds a check-in time gets one entry in the log, made by this device while
offline, so that "checked in" (now derived from the log) says what it said before. The entry's id
is derived from the registration and its check-in time: every device that upgrades makes the same
scan, and the server records it once (a scan's id is its idempotency key). The registration's own
``checked_in_at``/``checked_in_by`` stay for apps speaking older protocols.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Names the scans made from check-in times recorded before the log existed.
MIGRATED_SCANS = uuid.UUID("5b0f3c8e-2d8a-4f5e-9c3e-6a4f0d1e7b21")
MIGRATED_FIELDS = ["device_id", "device_name", "direction", "offline", "registration_id", "scanned_at"]


def migrated_scan_id(registration_id: str, checked_in_at: str) -> str:
    return str(uuid.uuid5(MIGRATED_SCANS, f"{registration_id} {checked_in_at}"))


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("registration_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("device_name", sa.String(length=100), nullable=True),
        sa.Column("scanned_at", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("cancels", sa.String(length=36), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("row_id"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_checkins_registration_id"), ["registration_id"], unique=False
        )
    op.add_column("registrations", sa.Column("registered_at", sa.String(length=32), nullable=True))
    # Left empty for the registrations made before: their local creation times differ from one
    # device to the next, and the waiting list must come out in the same order on every desk.
    _move_check_in_times(op.get_bind())


def _move_check_in_times(connection: sa.Connection) -> None:
    arrived = connection.execute(
        sa.text(
            "SELECT id, checked_in_at, checked_in_by FROM registrations"
            " WHERE checked_in_at IS NOT NULL AND deleted = 0 ORDER BY row_id"
        )
    ).all()
    if not arrived:
        return
    device = connection.execute(
        sa.text("SELECT device_id, last_seq FROM device_identity WHERE singleton = 1")
    ).one_or_none()
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    if device is None:  # registrations without an identity: only a hand-made file
        device_id, last_seq = str(uuid.uuid4()), 0
        connection.execute(
            sa.text(
                "INSERT INTO device_identity (singleton, device_id, created_at, last_seq)"
                " VALUES (1, :device, :now, 0)"
            ),
            {"device": device_id, "now": now},
        )
    else:
        device_id, last_seq = device.device_id, device.last_seq
    for offset, (registration_id, checked_in_at, checked_in_by) in enumerate(arrived, start=1):
        scan_id = migrated_scan_id(registration_id, checked_in_at)
        fields = MIGRATED_FIELDS if checked_in_by else [f for f in MIGRATED_FIELDS if f != "device_name"]
        connection.execute(
            sa.text(
                "INSERT INTO checkins (registration_id, device_id, device_name, scanned_at,"
                " direction, cancels, offline, id, created_at, updated_at, deleted, origin_device,"
                " base_version, dirty_fields) VALUES (:registration, :device, :name, :scanned,"
                " 'entry', NULL, 1, :id, :now, :now, 0, :device, NULL, :fields)"
            ),
            {
                "registration": registration_id, "device": device_id, "name": checked_in_by,
                "scanned": checked_in_at, "id": scan_id, "now": now, "fields": json.dumps(fields),
            },
        )
        connection.execute(
            sa.text(
                "INSERT INTO pending_changes (kind, record_id, seq, op, fields, created_at,"
                " updated_at, attempts) VALUES ('checkins', :id, :seq, 'upsert', :fields, :now,"
                " :now, 0)"
            ),
            {"id": scan_id, "seq": last_seq + offset, "fields": json.dumps(fields), "now": now},
        )
    connection.execute(
        sa.text("UPDATE device_identity SET last_seq = :seq WHERE singleton = 1"),
        {"seq": last_seq + len(arrived)},
    )


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("registered_at")
    op.execute("DELETE FROM pending_changes WHERE kind = 'checkins'")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_registration_id"))
        batch_op.drop_index(batch_op.f("ix_checkins_deleted"))
    op.drop_table("checkins")
