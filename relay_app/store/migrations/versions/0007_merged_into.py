"""Registrations merged into another one point to it; their deletion waits for the pointer to sync.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("registrations", sa.Column("merged_into", sa.String(length=36), nullable=True))
    op.create_table(
        "merge_tombstones_due",
        sa.Column("registration_id", sa.String(length=36), nullable=False),
        sa.Column("kept_id", sa.String(length=36), nullable=False),
        sa.Column("merged_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("registration_id"),
    )


def downgrade() -> None:
    op.drop_table("merge_tombstones_due")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("merged_into")
