"""Full-text search: one external-content FTS5 index per record table, kept current by triggers.

The ``unicode61 remove_diacritics 2`` tokenizer folds accents on both sides, so "sequestration" finds
"séquestration" and back. Triggers (not application code) maintain the index so every writer, the
services and the sync engine alike, keeps it consistent inside its own transaction.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a later change of indexed columns is a new revision.
INDEXED_COLUMNS: dict[str, tuple[str, ...]] = {
    "partners": (
        "name", "acronym", "city", "address", "email", "activities", "interests", "description",
    ),
    "practices": (
        "title", "summary", "description", "tutorial_steps", "soc_method", "costs", "co_benefits",
        "references",
    ),
    "forums": ("name", "city", "venue", "description"),
    "registrations": ("first_name", "last_name", "organisation", "email", "phone"),
}


def _quoted(columns: Sequence[str], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{column}"' for column in columns)


def upgrade() -> None:
    for table, columns in INDEXED_COLUMNS.items():
        fts = f"{table}_fts"
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({_quoted(columns)}, content='{table}', "
            "content_rowid='row_id', tokenize='unicode61 remove_diacritics 2')"
        )
        insert_new = (
            f"INSERT INTO {fts}(rowid, {_quoted(columns)}) "
            f"VALUES (new.row_id, {_quoted(columns, 'new.')});"
        )
        delete_old = (
            f"INSERT INTO {fts}({fts}, rowid, {_quoted(columns)}) "
            f"VALUES ('delete', old.row_id, {_quoted(columns, 'old.')});"
        )
        op.execute(f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN {insert_new} END")
        op.execute(f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN {delete_old} END")
        op.execute(
            f"CREATE TRIGGER {table}_fts_au AFTER UPDATE ON {table} BEGIN {delete_old} {insert_new} END"
        )
        # Index what earlier revisions already stored.
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def downgrade() -> None:
    for table in INDEXED_COLUMNS:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
