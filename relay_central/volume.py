"""How much one device may store through pushes in a UTC day.

Each push stores its answers (kept for replays) and the versions it writes (kept as merge bases)
for the retention period. Without a bound, one relay, by mistake or on purpose, could fill the
server's disk with pushes that are each small and valid. The day's totals live in `push_volume`
(past days are dropped by `relay-central prune`). Once either reaches its limit (settings
`max_push_changes_per_day`, `max_push_bytes_per_day`) the device's pushes are refused with 429
`push_quota` until the next UTC day. The push that reaches a limit is still applied whole: a day
may end up to one batch over it.

Both functions run inside the push's `Database.writing()` transaction: the writer lock makes
the check and the count of concurrent pushes of one device follow each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from relay_app.i18n import _
from relay_central.errors import ApiError
from relay_central.models import PushVolume
from relay_central.settings import Settings

QUOTA_STATUS = 429
QUOTA_ERROR = "push_quota"


def day_of(moment: datetime) -> str:
    return moment.date().isoformat()


def check_push_volume(session: Session, settings: Settings, device: int, now: datetime) -> None:
    """Refuse (429 `push_quota`) a push from a device that already reached today's bound."""
    today = session.get(PushVolume, (device, day_of(now)))
    if today is None:
        return
    if today.changes < settings.max_push_changes_per_day and (
        today.stored_bytes < settings.max_push_bytes_per_day
    ):
        return
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    raise ApiError(
        QUOTA_STATUS,
        QUOTA_ERROR,
        _("This device has sent as much as the server takes in one day ({changes} changes, "
          "{size} bytes). Its other changes stay on it and are sent after midnight (UTC).").format(
            changes=settings.max_push_changes_per_day, size=settings.max_push_bytes_per_day
        ),
        headers={"Retry-After": str(max(1, int((tomorrow - now).total_seconds())))},
    )


def count_push_volume(
    session: Session, device: int, now: datetime, changes: int, stored_bytes: int
) -> None:
    """Add one push's new answers and versions to the device's total of the day (one upsert)."""
    if not changes and not stored_bytes:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    added = insert(PushVolume).values(
        device=device, day=day_of(now), changes=changes, stored_bytes=stored_bytes
    )
    session.execute(
        added.on_conflict_do_update(
            index_elements=[PushVolume.device, PushVolume.day],
            set_={
                "changes": PushVolume.changes + added.excluded.changes,
                "stored_bytes": PushVolume.stored_bytes + added.excluded.stored_bytes,
            },
        )
    )


def forget_past_days(session: Session, now: datetime) -> int:
    """Drop the totals of the days before today (`relay-central prune`): no bound reads them."""
    return session.execute(delete(PushVolume).where(PushVolume.day < day_of(now))).rowcount or 0
