"""Erasure: deleted registrations lose their personal fields; registrations leaving a region

Revision ID: c0003_erasure
Revises: c0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "c0003_erasure"
down_revision: str | None = "c0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
STAMP = sa.String(32)  # ISO 8601 UTC text, see relay_central.models.UTCDateTime
# The registration fields marked `personal` when this revision was written: a migration must not
# change its meaning when the forms change later.
PERSONAL = frozenset({"first_name", "last_name", "organisation", "email", "phone"})

_records = sa.table(
    "records", sa.column("kind", sa.String), sa.column("id", sa.String),
    sa.column("version", sa.Integer), sa.column("deleted", sa.Boolean), sa.column("values", JSON),
)
_versions = sa.table(
    "record_versions", sa.column("kind", sa.String), sa.column("id", sa.String),
    sa.column("version", sa.Integer), sa.column("values", JSON),
)
_answers = sa.table(
    "applied_changes", sa.column("device", sa.Integer), sa.column("seq", sa.BigInteger),
    sa.column("answer", JSON),
)


def upgrade() -> None:
    op.create_table(
        "scope_exits",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("region", sa.String(64), primary_key=True),
        sa.Column("created_at", STAMP, nullable=False),
    )
    _erase_deleted_registrations(op.get_bind())


def downgrade() -> None:
    op.drop_table("scope_exits")  # erased values stay erased


def _erase_deleted_registrations(connection: sa.Connection) -> None:
    """What a delete erases since this revision, done for the registrations deleted before it."""
    deleted = dict(connection.execute(
        sa.select(_records.c.id, _records.c.version).where(
            _records.c.kind == "registrations", _records.c.deleted.is_(True)
        )
    ).all())
    if not deleted:
        return
    ids = sorted(deleted)
    for start in range(0, len(ids), 400):
        chunk = ids[start:start + 400]
        for table in (_records, _versions):
            rows = connection.execute(
                sa.select(table.c.id, table.c.version, table.c["values"]).where(
                    table.c.kind == "registrations", table.c.id.in_(chunk)
                )
            ).all()
            for record_id, version, values in rows:
                if PERSONAL & set(values) and version <= deleted[record_id]:
                    connection.execute(
                        sa.update(table)
                        .where(table.c.kind == "registrations", table.c.id == record_id,
                               table.c.version == version)
                        .values(values={k: v for k, v in values.items() if k not in PERSONAL})
                    )
        answers = connection.execute(
            sa.select(_answers.c.device, _answers.c.seq, _answers.c.answer).where(
                _answers.c.answer["kind"].as_string() == "registrations",
                _answers.c.answer["id"].as_string().in_(chunk),
            )
        ).all()
        for device, seq, answer in answers:
            scrubbed = _scrubbed_answer(answer)
            if scrubbed != answer:
                connection.execute(
                    sa.update(_answers)
                    .where(_answers.c.device == device, _answers.c.seq == seq)
                    .values(answer=scrubbed)
                )


def _scrubbed_answer(answer: dict[str, Any]) -> dict[str, Any]:
    scrubbed = dict(answer)
    merged = answer.get("merged_fields")
    if isinstance(merged, dict):
        scrubbed["merged_fields"] = {k: v for k, v in merged.items() if k not in PERSONAL}
    conflicts = answer.get("conflicts")
    if isinstance(conflicts, list):
        scrubbed["conflicts"] = [
            {**c, "server_value": None, "client_value": None, "base_value": None}
            if isinstance(c, dict) and c.get("field") in PERSONAL else c
            for c in conflicts
        ]
    return scrubbed
