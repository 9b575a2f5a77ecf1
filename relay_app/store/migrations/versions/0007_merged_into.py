"""Registrations merged into another one point to it; their deletion waits for the pointer to sync.

Revision ID: 0007_merged_into
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_merged_into"
# 0006 (the check-in log) is written in parallel; the chain is joined when both are merged.
down_revision: str | None = "0005"
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
