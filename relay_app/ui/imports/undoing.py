"""Undoing an import from the window: the same work, wherever the Undo button is."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from relay_app.i18n import _
from relay_app.imports import undo_batch
from relay_app.services.records import RecordService
from relay_app.store.database import Database
from relay_app.ui.operations import Operation


def undo_operation(parent: QWidget, database: Database, records: RecordService, batch_id: str) -> Operation:
    """Undo ``batch_id`` on the database thread with progress; the caller wires its outcome and runs it."""
    return Operation(parent, lambda _progress: undo_batch(database, records, batch_id)).with_progress(
        _("Undoing the import…")
    )
