"""Pushes held back after the server's daily push quota (429 ``push_quota``), until its Retry-After.

Asking again before then is refused anyway, and on a poor link each refused push costs its whole
batch: so until then a run neither pushes nor retries, says the server's words again, and still
pulls. The hold is kept in ``sync_state``, so it survives a restart of the app.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from relay_app.sync.state import PUSH_HELD_REASON, PUSH_HELD_UNTIL, read_state, write_state

# The server's quota is per UTC day, so its Retry-After never points further than a day ahead.
# A hold further off than that was written by a clock since set back: it is not waited for.
LONGEST_HOLD = timedelta(days=1, hours=1)


def hold_pushes(session: Session, now: datetime, retry_after: float | None, reason: str) -> None:
    """No push until ``retry_after`` seconds from ``now`` (the next UTC midnight if not said)."""
    if retry_after is None:
        until = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    else:
        until = now + min(timedelta(seconds=retry_after), LONGEST_HOLD)
    write_state(session, PUSH_HELD_UNTIL, until.isoformat())
    write_state(session, PUSH_HELD_REASON, reason)


def push_hold(session: Session, now: datetime) -> str | None:
    """The server's words while pushes are held back, else None."""
    until = read_state(session, PUSH_HELD_UNTIL)
    if not until:
        return None
    try:
        moment = datetime.fromisoformat(until)
    except ValueError:
        return None
    if moment <= now or moment > now + LONGEST_HOLD:
        return None
    return read_state(session, PUSH_HELD_REASON) or None


def release_pushes(session: Session) -> None:
    """A push went through: any hold is over."""
    if read_state(session, PUSH_HELD_UNTIL) is not None:
        write_state(session, PUSH_HELD_UNTIL, None)
        write_state(session, PUSH_HELD_REASON, None)
