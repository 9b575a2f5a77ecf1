"""What a device may read of the server's records, and how one record goes out on the wire.

Pull and `sync/records` share this filter, so that asking for a record by its key never shows
more than the change feed would: registrations and check-ins only of the relay's forums, no file
links for a protocol-1 client and no check-ins for a protocol-1 or 2 client (they do not know
those kinds). Pull also sends a removal, without values, for a
registration that left one of the relay's regions.
"""

from __future__ import annotations

import logging
from typing import Any, Final, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, exists, literal, or_, select
from sqlalchemy.orm import aliased

from relay_app.sync.wire import ATTACHMENTS_SINCE, CHECKINS_SINCE, PullItem
from relay_central import scope
from relay_central.auth import Actor
from relay_central.models import Record, ScopeExit
from relay_central.stored_json import RepairedValues

logger = logging.getLogger("relay_central")

_Row = TypeVar("_Row", bound=tuple[Any, ...])
# Protocol 2 also sends a device its own changes back without values (see `may_abbreviate`).
OWN_ECHO_SINCE: Final = 2


def readable_records(actor: Actor, protocol: int) -> Select[tuple[Record]]:
    """Every record `actor` may read, for a client speaking `protocol`."""
    forum = aliased(Record)
    return _joined(select(Record), forum, protocol).where(_in_scope(forum, actor))


def feed_records(
    actor: Actor, protocol: int, *, removals: bool
) -> Select[tuple[Record, bool]]:
    """The records of `actor`'s change feed, each with whether the actor may read it.

    With `removals`, also the registrations that left one of the actor's regions and that it may
    no longer read (see relay_central.scope_exits): they go out as `removal_item`s.
    """
    forum = aliased(Record)
    in_scope = _in_scope(forum, actor)
    if not removals:
        return _joined(select(Record, literal(True).label("in_scope")), forum, protocol).where(
            in_scope
        )
    left = exists().where(
        ScopeExit.kind == Record.kind,
        ScopeExit.id == Record.id,
        ScopeExit.region.in_(sorted(actor.regions)),
    )
    readable = case((in_scope, True), else_=False).label("in_scope")
    return _joined(select(Record, readable), forum, protocol).where(or_(in_scope, left))


def _in_scope(forum: type[Record], actor: Actor) -> ColumnElement[bool]:
    return or_(Record.kind.not_in(scope.FORUM_SCOPED), forum.region.in_(sorted(actor.regions)))


def _joined(query: Select[_Row], forum: type[Record], protocol: int) -> Select[_Row]:
    """`query` with the forum of each registration and check-in joined, and without the kinds
    `protocol` lacks."""
    query = query.outerjoin(
        forum,
        and_(
            Record.kind.in_(scope.FORUM_SCOPED),
            forum.kind == scope.FORUMS,
            forum.id == Record.forum_id,
        ),
    )
    if protocol < ATTACHMENTS_SINCE:
        query = query.where(Record.kind != scope.ATTACHMENTS)
    if protocol < CHECKINS_SINCE:
        query = query.where(Record.kind != scope.CHECKINS)
    return query


def may_abbreviate(row: Record, actor: Actor, protocol: int) -> bool:
    """True when the row is the asking device's own change and its push answer described it."""
    return (
        protocol >= OWN_ECHO_SINCE
        and row.writer_informed
        and row.updated_by is not None
        and row.updated_by == actor.device_pk
    )


def pull_item(row: Record, *, with_values: bool = True) -> PullItem:
    if with_values and isinstance(row.values, RepairedValues):
        logger.warning(
            "stored values held text that cannot be encoded; sent with U+FFFD in its place",
            extra={"kind": row.kind, "record_id": row.id, "version": row.version},
        )
    return PullItem(
        kind=row.kind,  # type: ignore[arg-type]
        id=row.id,
        version=row.version,
        deleted=row.deleted,
        values=row.values if with_values else None,
        change_seq=row.change_seq,
    )


def removal_item(row: Record) -> PullItem:
    """A record the asking relay may no longer read: remove the local copy, send nothing back.

    No values at all; `deleted` so that an app from before `out_of_scope` marks its copy deleted
    (a pulled delete is never pushed back) instead of keeping it for ever.
    """
    return PullItem(
        kind=row.kind,  # type: ignore[arg-type]
        id=row.id,
        version=row.version,
        deleted=True,
        values={},
        change_seq=row.change_seq,
        out_of_scope=True,
    )
