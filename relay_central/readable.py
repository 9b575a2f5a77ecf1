"""What a device may read of the server's records, and how one record goes out on the wire.

Pull and `sync/records` share this filter, so that asking for a record by its key never shows
more than the change feed would: registrations only of the relay's forums, and no file links for
a protocol-1 client (it does not know the kind).
"""

from __future__ import annotations

import logging
from typing import Final

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased

from relay_app.sync.wire import ATTACHMENTS_SINCE, PullItem
from relay_central import scope
from relay_central.auth import Actor
from relay_central.models import Record
from relay_central.stored_json import RepairedValues

logger = logging.getLogger("relay_central")

# Protocol 2 also sends a device its own changes back without values (see `may_abbreviate`).
OWN_ECHO_SINCE: Final = 2


def readable_records(actor: Actor, protocol: int) -> Select[tuple[Record]]:
    """Every record `actor` may read, for a client speaking `protocol`."""
    forum = aliased(Record)
    readable = or_(
        Record.kind != scope.REGISTRATIONS,
        forum.region.in_(sorted(actor.regions)),
    )
    query = (
        select(Record)
        .outerjoin(
            forum,
            and_(
                Record.kind == scope.REGISTRATIONS,
                forum.kind == scope.FORUMS,
                forum.id == Record.forum_id,
            ),
        )
        .where(readable)
    )
    if protocol < ATTACHMENTS_SINCE:
        query = query.where(Record.kind != scope.ATTACHMENTS)
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
