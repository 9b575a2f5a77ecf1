"""Central server: relays, devices, records with their versions, replay answers, attachments

Revision ID: c0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "c0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
STAMP = sa.String(32)  # ISO 8601 UTC text, see relay_central.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "server_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("server_id", sa.String(32), nullable=False),
        sa.Column("last_change_seq", sa.BigInteger(), nullable=False),
        sa.Column("pruned_through", sa.BigInteger(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
    )
    op.create_table(
        "relays",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("regions", JSON, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "relay_id", sa.Integer(), sa.ForeignKey("relays.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP, nullable=True),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "relay_id", sa.Integer(), sa.ForeignKey("relays.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("enrolled_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP, nullable=True),
        sa.Column("last_seen_at", STAMP, nullable=True),
    )
    op.create_table(
        "records",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("values", JSON, nullable=False),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("forum_id", sa.String(64), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column(
            "updated_by",
            sa.Integer(),
            sa.ForeignKey("devices.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_records_change_seq", "records", ["change_seq"], unique=True)
    op.create_index("ix_records_forum_id", "records", ["forum_id"])
    op.create_table(
        "record_versions",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("values", JSON, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column(
            "device", sa.Integer(), sa.ForeignKey("devices.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_table(
        "applied_changes",
        sa.Column(
            "device",
            sa.Integer(),
            sa.ForeignKey("devices.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.BigInteger(), primary_key=True),
        sa.Column("batch_id", sa.String(64), nullable=False),
        sa.Column("answer", JSON, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column(
            "uploaded_by",
            sa.Integer(),
            sa.ForeignKey("devices.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "device", sa.Integer(), sa.ForeignKey("devices.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.UniqueConstraint("device", "sha256", name="uq_uploads_device_sha256"),
    )


def downgrade() -> None:
    for table in (
        "uploads",
        "attachments",
        "applied_changes",
        "record_versions",
        "records",
        "devices",
        "enrolment_codes",
        "relays",
        "server_state",
    ):
        op.drop_table(table)
