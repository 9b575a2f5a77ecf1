"""The right-click menu of a record list: Edit, Delete, Copy, Export selected…, and related records.

It opens on a right-click, the Menu key or Shift+F10 (at the current row), over the selected
records. "Copy" (also Ctrl+C) puts the selected rows on the clipboard as tab-separated text, the
columns the list shows, so they paste as rows into a spreadsheet or as lines into a message.
"Show practices of this partner" asks the window, through ``show_related``, to open the practices
list filtered on that partner; the menu never reaches into another list itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMenu

from relay_app.i18n import N_, _
from relay_app.services import Services
from relay_app.ui.icons import icon
from relay_app.ui.records.selection import selected_ids, selected_rows
from relay_app.ui.transfer import start_export

if TYPE_CHECKING:
    from relay_app.ui.records.panel import RecordPanel

EXPORT_FILTER = N_("Data files (*.csv *.xlsx *.json *.geojson)")
# The lists a record can lead to: (referring kind, its reference field, the menu entry).
RELATED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "partners": (("practices", "partner_id", N_("Show practices of this partner")),),
    "forums": (("registrations", "forum_id", N_("Show registrations of this forum")),),
}


class RecordContextMenu(QObject):
    """The context menu of ``panel``'s list; ``menu`` is the one on screen, if any."""

    show_related = Signal(str, str, str, str)  # referring kind, its field, record id, record title

    def __init__(self, panel: RecordPanel, services: Services) -> None:
        super().__init__(panel)
        self._panel = panel
        self._services = services
        self.menu: QMenu | None = None
        table = panel.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._requested)
        keys = (
            (QKeySequence(Qt.Key.Key_Menu), self.open_at_current),
            (QKeySequence("Shift+F10"), self.open_at_current),
            (QKeySequence(QKeySequence.StandardKey.Copy), self.copy_selected),
        )
        for sequence, slot in keys:
            shortcut = QShortcut(sequence, table)
            # Set apart: PySide ignores a context given to the constructor with a callable, and
            # as window shortcuts the tables of two lists on screen would make them ambiguous.
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # -- opening ------------------------------------------------------------------------------------

    def _requested(self, position: QPoint) -> None:
        # A right-click on a row outside the selection has selected that row already (Qt does).
        self.open_at(self._panel.table.viewport().mapToGlobal(position))

    def open_at_current(self) -> None:
        """From the keyboard: the menu opens under the current row, or at the list's corner."""
        table = self._panel.table
        index = table.currentIndex()
        corner = table.visualRect(index).bottomLeft() if index.isValid() else QPoint(0, 0)
        self.open_at(table.viewport().mapToGlobal(corner))

    def open_at(self, global_position: QPoint) -> QMenu | None:
        ids = selected_ids(self._panel.table, self._panel.model)
        if not ids:
            return None
        if self.menu is not None:  # the one shown before, closed by now
            self.menu.deleteLater()
        self.menu = self._build(ids)
        self.menu.popup(global_position)
        return self.menu

    def _build(self, ids: list[str]) -> QMenu:
        panel = self._panel
        menu = QMenu(panel.table)
        one = len(ids) == 1
        editing = panel.is_editing()
        self._add(menu, _("&Edit"), "Enter", panel.edit_selected, enabled=one, name="edit")
        self._add(menu, _("&Delete"), "Del", panel.delete_selected, enabled=not editing,
                  name="delete", icon_name="delete")
        menu.addSeparator()
        self._add(menu, _("&Copy"), QKeySequence.StandardKey.Copy, self.copy_selected, name="copy")
        self._add(menu, _("E&xport selected…"), None, self.export_selected, name="export",
                  icon_name="export")
        related = RELATED.get(panel.kind, ())
        if related:
            menu.addSeparator()
        for kind, field, text in related:
            self._add(
                menu, _(text), None, lambda kind=kind, field=field: self._show_related(kind, field),
                enabled=one, name=f"show_{kind}",
            )
        return menu

    def _add(
        self,
        menu: QMenu,
        text: str,
        keys: str | QKeySequence.StandardKey | None,
        slot: Callable[[], object],
        *,
        name: str,
        enabled: bool = True,
        icon_name: str | None = None,
    ) -> QAction:
        # The key is shown beside the entry, not bound to it: the list's own shortcuts act.
        shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        action = menu.addAction(f"{text}\t{shown}" if shown else text)
        action.setObjectName(name)
        if icon_name is not None:
            action.setIcon(icon(icon_name))
        action.setEnabled(enabled)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- what the entries do -------------------------------------------------------------------------

    def selected_text(self) -> str:
        """The selected rows as the list shows them: cells separated by tabs, one row a line."""
        model = self._panel.model
        lines = []
        for row in selected_rows(self._panel.table):
            cells = (model.index(row, column).data() or "" for column in range(model.columnCount()))
            lines.append("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in cells))
        return "\n".join(lines)

    def copy_selected(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def export_selected(self, path: Path | None = None) -> None:
        panel = self._panel
        ids = selected_ids(panel.table, panel.model)
        if not ids:
            return
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                panel, _("Export selected records"), f"{panel.kind}.csv", _(EXPORT_FILTER)
            )
            if not chosen:
                return
            path = Path(chosen)
        start_export(panel, self._services, panel.kind, path, record_ids=ids)

    def _show_related(self, kind: str, field: str) -> None:
        record_id = self._panel.selected_id()
        if record_id is None:
            return
        title = self._services.records(self._panel.kind).get(record_id).summary
        self.show_related.emit(kind, field, record_id, title)
