"""Open conflicts, both values side by side: keep mine, keep theirs, or write a merged value.

A decision is an ordinary local edit (``ConflictService.resolve``), written on the database
thread; it then waits in the outbox and syncs like any other change.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from relay_app.forms import form_for
from relay_app.i18n import _, ngettext
from relay_app.store.database import Database
from relay_app.sync.conflicts import UNSET, ConflictService, ConflictView, Keep
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.sync.display import kind_label


def field_label(conflict: ConflictView) -> str:
    if conflict.about_deletion:
        return _("Deleted or kept")
    try:
        return _(form_for(conflict.kind).field(conflict.field).label)
    except (KeyError, ValueError):
        return conflict.field


def shown_value(conflict: ConflictView, value: Any) -> str:
    """A value as a person reads it: text as it is, other values as JSON."""
    if conflict.about_deletion:
        return _("Deleted") if value else _("Kept, with its edits")
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def merged_value(conflict: ConflictView, text: str) -> Any:
    """What a person typed, as the wire's JSON: text stays text unless the field holds other JSON."""
    if text.strip() == "":
        return None
    if all(isinstance(value, str | None) for value in (conflict.mine, conflict.theirs)):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


class ConflictsPage(QWidget):
    resolved = Signal(str)  # the record kind whose record changed

    def __init__(self, database: Database) -> None:
        super().__init__()
        self._service = ConflictService(database)
        self.conflicts: list[ConflictView] = []
        self.heading = QLabel()
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)

        self.field = QLabel()
        self.field.setWordWrap(True)
        self.mine_label = QLabel()
        self.theirs_label = QLabel()
        self.merged_label = QLabel()
        self.mine = QPlainTextEdit()
        self.theirs = QPlainTextEdit()
        for box in (self.mine, self.theirs):
            box.setReadOnly(True)
        self.merged = QPlainTextEdit()
        self.merged.setTabChangesFocus(True)
        self.mine_label.setBuddy(self.mine)
        self.theirs_label.setBuddy(self.theirs)
        self.merged_label.setBuddy(self.merged)
        self.keep_mine = QPushButton()
        self.keep_theirs = QPushButton()
        self.use_merged = QPushButton()
        self.keep_mine.clicked.connect(lambda: self.resolve_current(keep="mine"))
        self.keep_theirs.clicked.connect(lambda: self.resolve_current(keep="theirs"))
        self.use_merged.clicked.connect(self._resolve_merged)

        values = QGridLayout()
        values.addWidget(self.mine_label, 0, 0)
        values.addWidget(self.theirs_label, 0, 1)
        values.addWidget(self.mine, 1, 0)
        values.addWidget(self.theirs, 1, 1)
        values.addWidget(self.keep_mine, 2, 0)
        values.addWidget(self.keep_theirs, 2, 1)
        merged_row = QHBoxLayout()
        merged_row.addWidget(self.merged, 1)
        merged_row.addWidget(self.use_merged, 0, Qt.AlignmentFlag.AlignTop)
        self.detail = QWidget()
        detail = QVBoxLayout(self.detail)
        detail.addWidget(self.field)
        detail.addLayout(values)
        detail.addWidget(self.merged_label)
        detail.addLayout(merged_row)
        detail.addStretch(1)

        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    # -- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current()
        self.conflicts = self._service.list()
        self.list.blockSignals(True)
        self.list.clear()
        for conflict in self.conflicts:
            self.list.addItem(QListWidgetItem(self._item_text(conflict)))
        ids = [conflict.id for conflict in self.conflicts]
        row = ids.index(current.id) if current is not None and current.id in ids else 0
        self.list.blockSignals(False)
        self.list.setCurrentRow(row if self.conflicts else -1)
        self._show(self.list.currentRow())
        self._retranslate_heading()

    def current(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _item_text(self, conflict: ConflictView) -> str:
        return _("{kind} “{record}”: {field}").format(
            kind=kind_label(conflict.kind),
            record=conflict.summary or conflict.record_id,
            field=field_label(conflict),
        )

    def _show(self, _row: int) -> None:
        conflict = self.current()
        self.detail.setEnabled(conflict is not None)
        if conflict is None:
            self.field.setText("")
            for box in (self.mine, self.theirs, self.merged):
                box.setPlainText("")
            return
        self.field.setText(
            _("{field} was changed here and on the server to different values.").format(
                field=field_label(conflict)
            )
        )
        self.mine.setPlainText(shown_value(conflict, conflict.mine))
        self.theirs.setPlainText(shown_value(conflict, conflict.theirs))
        # A merged value starts from mine, the one a person most often wants to adjust.
        self.merged.setPlainText("" if conflict.about_deletion else shown_value(conflict, conflict.mine))
        self.merged.setEnabled(not conflict.about_deletion)
        self.use_merged.setEnabled(not conflict.about_deletion)

    # -- deciding --------------------------------------------------------------------------------

    def resolve_current(self, *, keep: Keep | None = None, value: Any = UNSET) -> Operation | None:
        conflict = self.current()
        if conflict is None:
            return None
        service = self._service
        for button in (self.keep_mine, self.keep_theirs, self.use_merged):
            button.setEnabled(False)

        def work(_progress: object) -> None:
            service.resolve(conflict.id, keep=keep, value=value)

        def done(_result: object) -> None:
            self.refresh()
            self._enable_buttons()
            self.resolved.emit(conflict.kind)

        def refused(error: BaseException) -> None:
            self._enable_buttons()
            QMessageBox.warning(self, _("Conflict not resolved"), str(error))
            self.refresh()

        return Operation(self, work).success(done).failure(refused).run()

    def _resolve_merged(self) -> None:
        conflict = self.current()
        if conflict is not None:
            self.resolve_current(value=merged_value(conflict, self.merged.toPlainText()))

    def _enable_buttons(self) -> None:
        conflict = self.current()
        self.keep_mine.setEnabled(True)
        self.keep_theirs.setEnabled(True)
        self.use_merged.setEnabled(conflict is not None and not conflict.about_deletion)

    # -- language --------------------------------------------------------------------------------

    def _retranslate_heading(self) -> None:
        count = len(self.conflicts)
        self.heading.setText(
            ngettext(
                "{count} conflict waits for your decision.",
                "{count} conflicts wait for your decision.",
                count,
            ).format(count=count)
            if count
            else _("No conflicts: every change agrees with the server.")
        )

    def retranslate_ui(self) -> None:
        self._retranslate_heading()
        self.mine_label.setText(_("&Mine (this device)"))
        self.theirs_label.setText(_("&Theirs (the server)"))
        self.merged_label.setText(_("Merged &value"))
        self.keep_mine.setText(_("Keep mine"))
        self.keep_theirs.setText(_("Keep theirs"))
        self.use_merged.setText(_("Use merged value"))
        self.list.setAccessibleName(_("Open conflicts"))
        self.mine.setAccessibleName(_("My value"))
        self.theirs.setAccessibleName(_("The server's value"))
        self.merged.setAccessibleName(_("Merged value"))
        for row, conflict in enumerate(self.conflicts):
            self.list.item(row).setText(self._item_text(conflict))
        self._show(self.list.currentRow())
