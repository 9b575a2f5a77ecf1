"""How much one device may store through pushes in a UTC day.

Each push stores its answers (kept for replays) and the versions it writes (kept as merge bases)
for the retention period. Without a bound, one relay, by mistake or on purpose, could fill the
server's disk with pushes that are each small and valid. The day's totals live in `push_volume`
(one row per device: a device's first push of a day drops its earlier days);
once either reaches its limit (settings `max_push_changes_per_day`, `max_push_bytes_per_day`) the
device's pushes are refused with 429 `push_quota` until the next UTC day. The push that reaches
a limit is still applied whole: a day may end up to one batch over it.

Both functions run inside the push's `Database.writing()` transaction: the writer lock makes
the check and the count of concurrent pushes of one device follow each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
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
    """Add one push's new answers and versions to the device's total of the day."""
    if not changes and not stored_bytes:
        return
    key = {"device": device, "day": day_of(now)}
    added = session.execute(
        update(PushVolume)
        .where(PushVolume.device == device, PushVolume.day == key["day"])
        .values(
            changes=PushVolume.changes + changes,
            stored_bytes=PushVolume.stored_bytes + stored_bytes,
        )
    ).rowcount
    if not added:
        # The device's first push of the day: its earlier days are of no more use.
        session.execute(
            delete(PushVolume).where(PushVolume.device == device, PushVolume.day < key["day"])
        )
        session.add(PushVolume(**key, changes=changes, stored_bytes=stored_bytes))
        session.flush()
