"""Everything about one record kind: search, filters, the lazy list, details and the editor.

The panel only talks to the services (reads directly, since a page of rows takes milliseconds;
writes through the database thread) and announces writes on ``DataChanges``; it never calls
other panels.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from relay_app.formatting import format_integer
from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.services.drafts import Draft, DraftStore
from relay_app.services.errors import ServiceError
from relay_app.ui.changes import DataChanges
from relay_app.ui.dialogs import Unsaved, ask_unsaved
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal
from relay_app.ui.records.bulk_delete import RecordDeleter
from relay_app.ui.records.context_menu import RecordContextMenu
from relay_app.ui.records.detail_pane import DetailPane
from relay_app.ui.records.empty_state import EmptyState
from relay_app.ui.records.filter_bar import FilterBar
from relay_app.ui.records.kinds import KIND_VIEWS
from relay_app.ui.records.record_table import RecordTable
from relay_app.ui.records.table_model import RecordTableModel
from relay_app.ui.shortcuts import widget_shortcut
from relay_app.ui.toast import Toast


class RecordPanel(QWidget):
    """The list and editor of one record kind."""

    SEARCH_DELAY_MS = 250
    deleted = Signal(str)  # the id, once the tombstone is written
    restored = Signal(str)

    def __init__(
        self, services: Services, kind: str, drafts: DraftStore, changes: DataChanges
    ) -> None:
        super().__init__()
        self.kind = kind
        self._services = services
        self._service = services.records(kind)
        self._changes = changes
        self._view = KIND_VIEWS[kind]
        # The search and filters the list shows, and their exact size when searching.
        self._query: tuple[str, dict[str, Any]] = ("", {})
        self._search_total: int | None = None
        self._reselecting = False

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        self.filters = FilterBar(kind, self._view.filters)
        self.count_label = QLabel()
        self.model = RecordTableModel(self._service, self._view.columns)
        self.table = RecordTable()
        self.table.setModel(self.model)
        # No column sorted at first: records come in the order they were made, which needs no
        # sort of the whole table before the first page shows; a header click sorts.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # A narrow column shows the start of its label ("Practice categ…"), not a middle cut.
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # Enter edits the selected record while the list has the focus, and only then; F2 is
        # the menu's "Edit record", which works from anywhere in the window.
        for key in ("Return", "Enter"):
            widget_shortcut(key, self.table, self.edit_selected)

        self.detail = DetailPane(kind, services)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_selected)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.editor = RecordEditor(services, kind, drafts)
        self.editor.saved.connect(self._saved)
        self.editor.cancelled.connect(self.cancel_editing)
        self.right = QStackedWidget()
        self.right.addWidget(detail_box)
        self.right.addWidget(self.editor)
        self.toast = Toast()
        self.deleter = RecordDeleter(self, self._service, changes)
        self.context_menu = RecordContextMenu(self, services)

        search_row = QHBoxLayout()
        search_row.addWidget(self._search_label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the window's margins suffice; every pixel counts
        layout.addWidget(splitter, 1)
        layout.addWidget(self.toast)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.filters.changed.connect(self.apply_query)
        self.model.rowsInserted.connect(lambda *_args: self._update_count())
        changes.records_changed.connect(self._records_changed)
        language_signal().changed.connect(self._language_changed)
        self.retranslate_ui()
        self.empty_state = EmptyState(self, self._service)  # over the list while it has no row

    # -- list -------------------------------------------------------------------------------------

    def apply_query(self) -> None:
        self._search_timer.stop()
        self._query = (self.search.text().strip(), self.filters.values())
        self.model.set_query(*self._query)
        self._count_search()
        self._update_count()

    def _count_search(self) -> None:
        """Count the matches of the query just run, once: the list only learns it page by page.

        An unranked count is one quick query (milliseconds among 100,000 records), so it runs
        here, like the list's own count, rather than on a worker.
        """
        text, filters = self._query
        if not text:
            self._search_total = None
            return
        chosen = {name: value for name, value in filters.items() if value not in (None, "")}
        self._search_total = self._service.count(text, chosen)

    def _update_count(self) -> None:
        total = self.model.total
        if total is None:
            total = self._search_total if self._search_total is not None else self.model.rowCount()
        self.count_label.setText(
            ngettext("{count} record", "{count} records", total).format(
                count=format_integer(total)
            )
        )

    def _records_changed(self, kind: str) -> None:
        if kind == self.kind:
            selected = self.selected_id()
            self.model.reload(keep_loaded=True)
            self._count_search()
            self._update_count()
            if selected is not None:
                self._reselect(selected)
        elif self.kind in ("practices", "registrations"):
            self.editor.refresh_references()

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        return self.model.record_id(index.row())

    def select(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def open_record(self, record_id: str) -> None:
        """Select ``record_id`` if the list has loaded it, and show its details in any case."""
        if self.is_editing() and not self.leave_editor():
            return
        if not self.select(record_id):
            self.table.clearSelection()
            self._show_detail(record_id)
        self.table.setFocus()

    def _reselect(self, record_id: str) -> None:
        """Select again after the list reloaded: no choice of the person, so an open editor stays."""
        self._reselecting = True
        try:
            self.select(record_id)
        finally:
            self._reselecting = False

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        record_id = self.selected_id()
        if self.right.currentWidget() is self.editor:
            if self._reselecting or (record_id is not None and record_id == self.editor.record_id):
                return
            if not self.leave_editor():
                return
        self._show_detail(record_id)

    def _show_detail(self, record_id: str | None) -> None:
        record = None
        if record_id is not None:
            try:
                record = self._service.get(record_id)
            except ServiceError:
                record = None
        self.detail.show_record(record)
        self.edit_button.setEnabled(record is not None)
        self.right.setCurrentIndex(0)

    def move_selection(self, step: int) -> None:
        """Select the next (1) or previous (-1) record; loads more rows at the end of the list."""
        selected = self.table.selectionModel().selectedRows()
        target = selected[0].row() + step if selected else 0
        if target >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        if 0 <= target < self.model.rowCount():
            self.table.selectRow(target)
            self.table.scrollTo(self.model.index(target, 0))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- editing ----------------------------------------------------------------------------------

    def is_editing(self) -> bool:
        return self.right.currentWidget() is self.editor

    def has_unsaved_changes(self) -> bool:
        return self.is_editing() and self.editor.is_dirty()

    def new_record(self) -> None:
        if not self.leave_editor():
            return
        self.editor.start_new()
        self._open_editor()

    def edit_selected(self) -> None:
        record_id = self.selected_id()
        if record_id is None:
            return
        if self.is_editing() and self.editor.record_id == record_id:
            self._focus_editor()  # already open: what is typed stays
            return
        if not self.leave_editor():
            return
        try:
            record = self._service.get(record_id)
        except ServiceError:
            return
        self.editor.start_edit(record)
        self._open_editor()

    def restore_draft(self, draft: Draft) -> None:
        if not self.leave_editor():
            return
        self.editor.restore_draft(draft)
        self._open_editor()

    def _open_editor(self) -> None:
        self.right.setCurrentWidget(self.editor)
        self._focus_editor()

    def _focus_editor(self) -> None:
        first = next(iter(self.editor.rows.values()))
        first.input.focus.setFocus()

    def save(self) -> None:
        if self.is_editing():
            self.editor.save()

    def _saved(self, record_id: str) -> None:
        self._changes.records_changed.emit(self.kind)
        self.select(record_id)
        self._show_detail(record_id)
        self.toast.show_message(_("Saved."))
        self.table.setFocus()

    def cancel_editing(self) -> None:
        if self.leave_editor():
            self._show_detail(self.selected_id())
            self.table.setFocus()

    def leave_editor(self) -> bool:
        """True when the editor may be left: nothing unsaved, or the person chose what to do."""
        if not self.has_unsaved_changes():
            if self.is_editing():
                self.editor.discard()
            return True
        answer = ask_unsaved(self, self.editor.title.text())
        if answer is Unsaved.SAVE:
            return self.editor.save() and False  # leave once saved; the save shows the record
        if answer is Unsaved.DISCARD:
            self.editor.discard()
            return True
        return False

    # -- delete and undo --------------------------------------------------------------------------

    def delete_selected(self, confirm: bool = True) -> None:
        self.deleter.delete_selected(confirm)

    def can_undo(self) -> bool:
        return self.deleter.can_undo()

    def undo_delete(self) -> None:
        self.deleter.undo()

    # -- language ---------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self._search_label.setText(_("Search:"))
        self.search.setPlaceholderText(_("Type to search (Ctrl+F)"))
        self.search.setAccessibleName(_("Search {kind}").format(kind=_(self._service.form.label)))
        self.table.setAccessibleName(_(self._service.form.label))
        self.edit_button.setText(_("Edit (Enter)"))
        self.filters.retranslate_ui()
        self._update_count()
        self.detail.retranslate_ui()

    def _language_changed(self, _language: str) -> None:
        selected = self.selected_id()
        self.model.reload(keep_loaded=True)  # code labels, dates and numbers in the new language
        if selected is not None:
            self._reselect(selected)
        self.retranslate_ui()
