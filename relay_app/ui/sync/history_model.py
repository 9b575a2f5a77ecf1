"""Past sync runs as a table, newest first, with the error that ended each one."""

from __future__ import annotations

from relay_app.i18n import N_
from relay_app.services.outbox_view import SyncRunRow, sync_history
from relay_app.store.database import Database
from relay_app.ui.sync.display import format_bytes, format_when, outcome_label
from relay_app.ui.sync.rows_model import PlainRowsModel

COLUMNS = (
    N_("Started"),
    N_("Outcome"),
    N_("Sent"),
    N_("Received"),
    N_("Conflicts"),
    N_("Refused"),
    N_("Data sent"),
    N_("Data received"),
    N_("Error"),
)


class HistoryModel(PlainRowsModel[SyncRunRow]):
    columns = COLUMNS
    tooltip_column = 8

    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = sync_history(self._database)
        self.endResetModel()

    def cell(self, run: SyncRunRow, column: int) -> str:
        cells = (
            lambda: format_when(run.started_at),
            lambda: outcome_label(run.outcome),
            lambda: str(run.pushed),
            lambda: str(run.pulled),
            lambda: str(run.conflicts),
            lambda: str(run.rejected),
            lambda: format_bytes(run.bytes_sent),
            lambda: format_bytes(run.bytes_received),
            lambda: run.error or "",
        )
        return cells[column]()
