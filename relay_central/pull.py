"""Pages of the change feed after a cursor, filtered to what the relay may read.

Each record appears once, at the position of its latest change, with its full values: a client
that pulls to the end holds the latest version of everything it may read. Protocol 2 leaves the
values out of a device's own change coming back when its push answer already described that
version in full; a snapshot (from the start of the feed) always carries them. A registration that
left one of the relay's regions comes as a removal item, without values, at its place in the feed.
"""

from __future__ import annotations

from relay_app.i18n import _
from relay_app.sync.wire import PullResponse
from relay_central.auth import Actor
from relay_central.cursor import BadCursor, decode_cursor, encode_cursor
from relay_central.db import Database, server_state
from relay_central.errors import ApiError
from relay_central.models import Record
from relay_central.readable import feed_records, may_abbreviate, pull_item, removal_item

# Position 0, the start of the feed: always valid, it is a full snapshot.
SNAPSHOT_START = 0


def pull_page(
    database: Database, actor: Actor, cursor: str | None, limit: int, protocol: int
) -> PullResponse:
    with database.reading() as session:
        state = server_state(session)
        # Read first: every change at or below it has committed (writers commit in seq order).
        latest = state.last_change_seq
        start = SNAPSHOT_START
        if cursor:
            try:
                position = decode_cursor(cursor)
            except BadCursor:
                raise ApiError(
                    400, "bad_cursor", _("The sync cursor is not one this server issued.")
                ) from None
            too_old = SNAPSHOT_START < position.change_seq < state.pruned_through
            foreign = position.server_id != state.server_id or position.change_seq > latest
            if too_old or foreign:
                return PullResponse(
                    items=[],
                    next_cursor=encode_cursor(state.server_id, SNAPSHOT_START),
                    has_more=True,
                    resync=True,
                )
            start = position.change_seq

        # Kinds a protocol-1 client does not know are filtered here: the cursor still moves past
        # them, since a page ends at its last item or, on the last page, at `latest`.
        # A snapshot leaves out removals: the device drops what the snapshot does not contain.
        rows = session.execute(
            feed_records(actor, protocol, removals=start != SNAPSHOT_START)
            .where(Record.change_seq > start, Record.change_seq <= latest)
            .order_by(Record.change_seq)
            .limit(limit + 1)
        ).all()
        server_id = state.server_id

    has_more = len(rows) > limit
    page = rows[:limit]
    end = page[-1][0].change_seq if has_more else latest
    snapshot = start == SNAPSHOT_START
    return PullResponse(
        items=[
            pull_item(row, with_values=snapshot or not may_abbreviate(row, actor, protocol))
            if in_scope else removal_item(row)
            for row, in_scope in page
        ],
        next_cursor=encode_cursor(server_id, end),
        has_more=has_more,
    )
