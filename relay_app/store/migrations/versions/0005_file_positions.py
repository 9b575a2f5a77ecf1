"""File links remember their place among the record's files, so the order syncs.

Existing links get positions from their creation order, per record and role (0, 1, 2...).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("attachments", sa.Column("position", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE attachments SET position = ("
        " SELECT count(*) FROM attachments AS earlier"
        " WHERE earlier.owner_kind = attachments.owner_kind"
        " AND earlier.owner_id = attachments.owner_id"
        " AND earlier.role = attachments.role"
        " AND earlier.deleted = 0"
        " AND (earlier.created_at < attachments.created_at"
        "      OR (earlier.created_at = attachments.created_at"
        "          AND earlier.row_id < attachments.row_id)))"
        " WHERE deleted = 0"
    )


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("position")
