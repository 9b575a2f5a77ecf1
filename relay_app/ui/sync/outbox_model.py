"""The outbox as a table: one row per pending change, from ``services.outbox_view``."""

from __future__ import annotations

from relay_app.i18n import N_
from relay_app.services.outbox_view import OutboxRow, outbox_rows, outbox_size
from relay_app.store.database import Database
from relay_app.ui.sync.display import format_when, kind_label, operation_label, outbox_state
from relay_app.ui.sync.rows_model import PlainRowsModel

COLUMNS = (
    N_("Record"),
    N_("Kind"),
    N_("Change"),
    N_("State"),
    N_("Attempts"),
    N_("Last error"),
    N_("Next retry"),
)
# Rows shown; the count says how many wait in all, and the export holds every one of them.
SHOWN_ROWS = 1000


class OutboxModel(PlainRowsModel[OutboxRow]):
    columns = COLUMNS
    tooltip_column = 5

    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database
        self.total = 0

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = outbox_rows(self._database, limit=SHOWN_ROWS)
        self.total = outbox_size(self._database)
        self.endResetModel()

    def cell(self, row: OutboxRow, column: int) -> str:
        cells = (
            lambda: row.summary or row.record_id,
            lambda: kind_label(row.kind),
            lambda: operation_label(row.op),
            lambda: outbox_state(row),
            lambda: str(row.attempts),
            lambda: row.last_error or "",
            lambda: format_when(row.next_attempt_at),
        )
        return cells[column]()
