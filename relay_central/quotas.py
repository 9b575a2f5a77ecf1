"""What one device may upload: bounds on unfinished uploads and on the bytes stored per day.

Every upload is counted from its creation, with the length it declares, so a device cannot open
more than the bounds allow and fill them later. An upload nobody touched for `upload_expiry_days`
no longer counts: its device's next creation (and `relay-central prune`) forgets it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from relay_app.i18n import _, ngettext
from relay_central.errors import ApiError
from relay_central.models import Attachment, Upload, utc_now
from relay_central.settings import Settings
from relay_central.tus_spec import TUS_VERSION

QUOTA_STATUS = 413
QUOTA_ERROR = "upload_quota"
DAY = timedelta(days=1)


def upload_expires_at(settings: Settings, updated_at: datetime) -> datetime:
    return updated_at + timedelta(days=settings.upload_expiry_days)


def forget_expired_uploads(
    session: Session, settings: Settings, *, device: int | None = None, now: datetime | None = None
) -> list[str]:
    """Delete the uploads (of ``device``, or all) untouched since before their expiry; their ids.

    The caller removes their part files once the transaction commits.
    """
    cutoff = (now or utc_now()) - timedelta(days=settings.upload_expiry_days)
    expired = select(Upload.id).where(Upload.updated_at <= cutoff)
    if device is not None:
        expired = expired.where(Upload.device == device)
    ids = list(session.scalars(expired))
    if ids:
        session.execute(delete(Upload).where(Upload.id.in_(ids)))
    return ids


def check_upload_quota(session: Session, settings: Settings, device: int, length: int) -> None:
    """Refuse (413 `upload_quota`) a new upload of ``length`` bytes that would pass a bound.

    Call inside `Database.writing()`: the writer lock keeps two creations from both fitting.
    """
    open_count, open_bytes = session.execute(
        select(func.count(), func.coalesce(func.sum(Upload.length), 0)).where(
            Upload.device == device
        )
    ).one()
    if open_count + 1 > settings.max_open_uploads:
        raise _refusal(
            "max_open_uploads",
            ngettext("This device already has {count} unfinished upload; finish or abandon it "
                     "first.",
                     "This device already has {count} unfinished uploads; finish or abandon one "
                     "first.", open_count).format(count=open_count),
        )
    if open_bytes + length > settings.max_open_upload_bytes:
        raise _refusal(
            "max_open_upload_bytes",
            _("This device's unfinished uploads may declare at most {size} bytes together.").format(
                size=settings.max_open_upload_bytes),
        )
    since = utc_now() - DAY
    stored_today = session.scalar(
        select(func.coalesce(func.sum(Attachment.size), 0)).where(
            Attachment.uploaded_by == device, Attachment.created_at > since
        )
    )
    if int(stored_today or 0) + open_bytes + length > settings.max_daily_upload_bytes:
        raise _refusal(
            "max_daily_upload_bytes",
            _("This device may upload at most {size} bytes a day; try again tomorrow.").format(
                size=settings.max_daily_upload_bytes),
        )


def _refusal(limit: str, message: str) -> ApiError:
    """``limit`` names the bound, as `sync/meta` reports it under `limits`."""
    return ApiError(QUOTA_STATUS, QUOTA_ERROR, message,
                    headers={"Tus-Resumable": TUS_VERSION}, limit=limit)
