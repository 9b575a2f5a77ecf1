"""An import keeps, for each record it updated, the values it replaced: undo puts them back.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batches made before this revision have no rows here: their undo leaves the updates as they are.
    op.create_table(
        "import_batch_updates",
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("version_before", sa.String(length=32), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "record_id"),
    )
    # Undo looks up the other imports of the records it puts back.
    op.create_index("ix_import_batch_updates_record_id", "import_batch_updates", ["record_id"])
    op.create_index("ix_import_batch_records_record_id", "import_batch_records", ["record_id"])


def downgrade() -> None:
    op.drop_index("ix_import_batch_records_record_id", table_name="import_batch_records")
    op.drop_table("import_batch_updates")
