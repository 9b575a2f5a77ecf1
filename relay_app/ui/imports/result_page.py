"""Step 5: what was imported, and Undo while nothing was changed since."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget, QWizardPage

from relay_app.i18n import _, ngettext
from relay_app.imports import UndoResult
from relay_app.imports.batches import undo_summary
from relay_app.imports.engine import ImportOutcome
from relay_app.ui.imports.state import ImportState
from relay_app.ui.imports.undoing import undo_operation
from relay_app.ui.operations import Operation


def outcome_text(outcome: ImportOutcome) -> str:
    parts = [
        ngettext("{count} record created", "{count} records created", outcome.created).format(
            count=outcome.created
        ),
        ngettext("{count} updated", "{count} updated", outcome.updated).format(count=outcome.updated),
    ]
    if outcome.unchanged:
        parts.append(_("{count} unchanged").format(count=outcome.unchanged))
    if outcome.merged:
        parts.append(
            ngettext(
                "{count} repeated row added to an earlier row's record",
                "{count} repeated rows added to earlier rows' records",
                outcome.merged,
            ).format(count=outcome.merged)
        )
    if outcome.skipped:
        parts.append(
            ngettext("{count} duplicate skipped", "{count} duplicates skipped", outcome.skipped).format(
                count=outcome.skipped
            )
        )
    if outcome.valid_only and outcome.invalid:
        parts.append(
            ngettext(
                "{count} row with errors left out", "{count} rows with errors left out", outcome.invalid
            ).format(count=outcome.invalid)
        )
    return _("Imported: {details}.").format(details=", ".join(parts))


class ResultPage(QWizardPage):
    def __init__(
        self, state: ImportState, on_changed: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        """``on_changed(kind)`` tells the window's lists that records of ``kind`` changed."""
        super().__init__(parent)
        self.state = state
        self._on_changed = on_changed
        self.setTitle(_("Import done"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("importResult")
        self.undo_button = QPushButton(_("&Undo this import"))
        self.undo_button.setToolTip(
            _("Delete the records this import created and put back those it updated, "
              "if none was changed since.")
        )
        self.undo_button.clicked.connect(self.undo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result)
        layout.addWidget(self.undo_button)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        outcome = self.state.outcome
        assert outcome is not None
        self.result.setText(outcome_text(outcome))
        self.undo_button.setEnabled(bool(outcome.batch_id and outcome.written))
        if outcome.written:
            self._on_changed(self.state.kind)

    def undo(self) -> Operation:
        outcome = self.state.outcome
        assert outcome is not None and outcome.batch_id
        database, records, batch = self.state.services.database, self.state.records, outcome.batch_id
        self.undo_button.setEnabled(False)

        def undone(result: UndoResult) -> None:
            self.result.setText(undo_summary(result))
            self._on_changed(self.state.kind)

        def refused(error: BaseException) -> None:
            self.result.setText(str(error))

        return (
            undo_operation(self, database, records, batch)
            .success(undone)
            .failure(refused)
            .run()
        )
