"""The server's lasting identity, and which device spent each enrolment code

Revision ID: c0004
Revises: c0003_erasure
Create Date: 2026-12-01
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "c0004"
down_revision: str | None = "c0003_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.String(32)  # ISO 8601 UTC text, see relay_central.models.UTCDateTime


def upgrade() -> None:
    identity = op.create_table(
        "server_identity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("instance_id", sa.String(32), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
    )
    # Made here, once per database, so that a new database and an upgraded one both have it.
    op.bulk_insert(identity, [{
        "id": 1,
        "instance_id": secrets.token_hex(16),
        "created_at": datetime.now(UTC).isoformat(timespec="microseconds"),
    }])
    # Codes spent before the upgrade name no device: they cannot be presented again.
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.add_column(sa.Column("used_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_enrolment_codes_used_by", "devices", ["used_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.drop_constraint("fk_enrolment_codes_used_by", type_="foreignkey")
        batch.drop_column("used_by")
    op.drop_table("server_identity")
