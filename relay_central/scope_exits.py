"""Registrations leaving a region: remembered so that the relays of that region remove them.

A registration is read by the relays of its forum's region only. When the forum moves to another
region, or the registration moves to a forum of another region, the relays of the old region
would otherwise keep their copy for ever: the feed no longer shows them the record. A row here
says "the relays of `region` may hold this record"; pull sends those relays a removal item for it
at the record's place in the feed (see relay_central.readable and docs/sync-protocol.md,
"Leaving a relay's scope"). A record that comes back into the region is read in full again.
"""

from __future__ import annotations

from sqlalchemy import Select, delete, insert, literal, select
from sqlalchemy.orm import Session

from relay_central import scope
from relay_central.models import Record, ScopeExit, UTCDateTime, utc_now


def forum_left(session: Session, forum_id: str, region: str | None) -> None:
    """Every registration and check-in the server holds for the forum has left `region`."""
    if region is not None:
        for kind in scope.FORUM_SCOPED:
            _note(session, kind, region, select(Record.id).where(
                Record.kind == kind, Record.forum_id == forum_id
            ))


def registration_left(session: Session, record_id: str, region: str | None) -> None:
    if region is not None:
        _note(session, scope.REGISTRATIONS, region, select(literal(record_id)))


def checkins_left(session: Session, scan_ids: list[str], region: str | None) -> None:
    """The check-ins of a registration that left `region` (they follow it to its new forum)."""
    if region is None:
        return
    for start in range(0, len(scan_ids), 400):
        _note(session, scope.CHECKINS, region, select(Record.id).where(
            Record.kind == scope.CHECKINS, Record.id.in_(scan_ids[start:start + 400])
        ))


def _note(session: Session, kind: str, region: str, ids: Select[tuple[str]]) -> None:
    # Delete, then insert: the same two statements on both engines (no dialect's "on conflict").
    session.execute(
        delete(ScopeExit).where(
            ScopeExit.kind == kind, ScopeExit.region == region,
            ScopeExit.id.in_(ids),
        )
    )
    leaving = ids.subquery()
    session.execute(
        insert(ScopeExit).from_select(
            ["kind", "id", "region", "created_at"],
            select(
                literal(kind),
                leaving.c[0],
                literal(region),
                literal(utc_now(), UTCDateTime()),
            ),
        )
    )
