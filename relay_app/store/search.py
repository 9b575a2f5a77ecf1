"""Full-text queries over the FTS5 indexes made by migration 0002."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import Select

from relay_app.store.models import SyncedRecord

_TOKEN = re.compile(r"\w+", re.UNICODE)


def match_expression(text: str) -> str | None:
    """Turn what a person typed into a safe FTS5 query: every word must match, as a prefix.

    Quoting each token keeps FTS5 operators (AND, NEAR, *, quotes) typed by a user from being
    interpreted; the trailing ``*`` gives results as you type ("séq" finds "séquestration").
    """
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


def restrict_to_matches(
    statement: Select[tuple[SyncedRecord]], model: type[SyncedRecord], expression: str, *, ranked: bool
) -> Select[tuple[SyncedRecord]]:
    """Limit ``statement`` to rows whose text matches; best matches first when ``ranked``.

    Unranked (for counts, or when the person sorts by a column) the match runs once as a subquery:
    joined without ``ORDER BY rank``, SQLite may instead probe the index once per record row, which
    took minutes to count matches among 100,000 partners.
    """
    fts_name = f"{model.__tablename__}_fts"  # type: ignore[attr-defined]
    fts = sa.table(fts_name, sa.column("rowid"), sa.column("rank"))
    match = sa.text(f"{fts_name} MATCH :fts_query").bindparams(fts_query=expression)
    if not ranked:
        return statement.where(model.row_id.in_(sa.select(fts.c.rowid).where(match)))
    return statement.join(fts, fts.c.rowid == model.row_id).where(match).order_by(fts.c.rank)
