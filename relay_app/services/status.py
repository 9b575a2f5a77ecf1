"""What `relay-app status` and the status bar report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from relay_app.services.outbox import device_identity, pending_count
from relay_app.store.database import Database
from relay_app.store.migrate import current_revision
from relay_app.store.models import RECORD_MODELS, DeviceIdentity


@dataclass(frozen=True)
class StatusReport:
    counts: dict[str, int]
    pending_changes: int
    device_id: str
    schema_revision: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts),
            "pending_changes": self.pending_changes,
            "device_id": self.device_id,
            "schema_revision": self.schema_revision,
        }


def read_status(database: Database) -> StatusReport:
    with database.read() as session:
        counts = {
            kind: session.scalar(
                select(func.count()).select_from(model).where(model.deleted.is_(False))
            ) or 0
            for kind, model in RECORD_MODELS.items()
        }
        pending = pending_count(session)
        device = session.scalar(select(DeviceIdentity.device_id))
    return StatusReport(
        counts=counts,
        pending_changes=pending,
        device_id=device or "",
        schema_revision=current_revision(database.path),
    )


def ensure_device(database: Database) -> str:
    """Make the device identity at first start (install); later calls just read it."""
    with database.write() as session:
        return device_identity(session).device_id
