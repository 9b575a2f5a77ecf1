"""Protocol 2: records remember whether their writer's push answer described them in full

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0002"
down_revision: str | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows were written under protocol 1: their values must go out in full.
    op.add_column(
        "records",
        sa.Column("writer_informed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("writer_informed")
