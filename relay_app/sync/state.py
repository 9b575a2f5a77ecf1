"""Small sync facts kept in ``sync_state``: the server, the pull cursor, the last success."""

from __future__ import annotations

from sqlalchemy.orm import Session

from relay_app.store.models import SyncState
from relay_app.store.types import utc_now

SERVER_URL = "server_url"
# The enrolled server's lasting id (see relay_app.sync.identity); its token is kept under it.
SERVER_ID = "server_id"
CURSOR = "pull_cursor"
# The protocol the cursor was earned with: one from an older protocol skipped what that protocol
# did not carry (file links before protocol 2), so the next pull starts again from the beginning.
CURSOR_PROTOCOL = "pull_cursor_protocol"
# Set while a resync snapshot is being pulled: at its end, records it did not deliver go.
SNAPSHOT = "snapshot_in_progress"
LAST_SUCCESS = "last_success"
# Until when pushes wait after the server's daily push quota, and the server's words for it
# (see relay_app.sync.push_hold).
PUSH_HELD_UNTIL = "push_held_until"
PUSH_HELD_REASON = "push_held_reason"
# The last time this device asked its server's default address who it is, without the token
# (see relay_app.sync.identity): JSON {"url", "at"}.
SERVER_CHECKED = "server_checked"
RELAY_NAME = "relay_name"


def read_state(session: Session, key: str) -> str | None:
    row = session.get(SyncState, key)
    return row.value if row is not None else None


def write_state(session: Session, key: str, value: str | None) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value, updated_at=utc_now()))
    else:
        row.value = value
        row.updated_at = utc_now()
