"""The main window: a shell that assembles the panels, the menus and the status bar.

It holds no record logic: each record kind has its ``RecordPanel``; the window routes the
menu actions to the panel on screen and remembers geometry and the last view.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from relay_app.i18n import N_, _, set_language
from relay_app.services import Services
from relay_app.services.drafts import Draft, DraftStore
from relay_app.store.backups import Backup
from relay_app.ui.about import show_about
from relay_app.ui.actions import WindowActions
from relay_app.ui.changes import DataChanges
from relay_app.ui.dialogs import Unsaved, ask_unsaved
from relay_app.ui.drafts_banner import DraftsBanner
from relay_app.ui.form_scroll import FormScrollArea
from relay_app.ui.forums_page import ForumsPage
from relay_app.ui.help import show_shortcuts
from relay_app.ui.icons import app_icon, icon
from relay_app.ui.idle_lock import IdleLock
from relay_app.ui.imports import ImportHistoryDialog, ImportWizard, open_import_wizard
from relay_app.ui.language import language_signal
from relay_app.ui.map.page import MapPage
from relay_app.ui.operations import wait_for_writer
from relay_app.ui.pages import SettingsPage
from relay_app.ui.records.panel import RecordPanel
from relay_app.ui.restore_restart import close_for_restore
from relay_app.ui.settings import UiSettings
from relay_app.ui.settings_data import DataSettings
from relay_app.ui.settings_security import SecuritySettings
from relay_app.ui.status_panel import StatusPanel, conflicts_waiting_text, sync_view_text
from relay_app.ui.sync import SyncPage, wait_for_network
from relay_app.ui.transfer import start_export

VIEWS: tuple[tuple[str, str], ...] = (
    ("partners", N_("Partners")),
    ("practices", N_("Practices")),
    ("map", N_("Map")),
    ("forums", N_("Forums & registrations")),
    ("sync", N_("Sync")),
    ("settings", N_("Settings")),
)
FILE_FILTER = N_("Data files (*.csv *.xlsx *.json *.geojson)")


class MainWindow(QMainWindow):
    def __init__(self, services: Services, settings: UiSettings | None = None) -> None:
        super().__init__()
        self._services = services
        self.settings = settings or UiSettings(services.paths)
        self.drafts = DraftStore(services.paths.drafts)
        self.changes = DataChanges()
        self._import_history: ImportHistoryDialog | None = None
        self.setWindowIcon(app_icon())

        self.panels: dict[str, RecordPanel] = {
            "partners": RecordPanel(services, "partners", self.drafts, self.changes),
            "practices": RecordPanel(services, "practices", self.drafts, self.changes),
        }
        self.forums_page = ForumsPage(services, self.drafts, self.changes)
        self.panels["forums"] = self.forums_page.forums
        self.panels["registrations"] = self.forums_page.registrations
        self.sync_page = SyncPage(services)
        data_settings = DataSettings(services)
        data_settings.restore_requested.connect(lambda backup: close_for_restore(self, backup))
        self.security_settings = SecuritySettings(services, self.settings)
        self.settings_page = SettingsPage(data_settings, self.security_settings)
        self.restore_on_close: Backup | None = None  # run_app restores it once the window closed
        self.settings_page.language_chosen.connect(self.switch_language)
        self.map_page = MapPage(services, self.panels, self.changes)
        self.map_page.open_record.connect(self.open_record)
        self.pages: dict[str, QWidget] = {
            "partners": self.panels["partners"],
            "practices": self.panels["practices"],
            "forums": self.forums_page,
            # Tall pages scroll, so they never make the window taller than a small screen.
            "sync": FormScrollArea(self.sync_page, framed=False),
            "settings": FormScrollArea(self.settings_page, framed=False),
            "map": self.map_page,
        }

        self.navigation = QListWidget()
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(180)
        self.stack = QStackedWidget()
        for name, _label in VIEWS:
            item = QListWidgetItem(icon(name), "")
            self.navigation.addItem(item)
            self.stack.addWidget(self.pages[name])
        self.navigation.currentRowChanged.connect(self._view_changed)
        self.drafts_banner = DraftsBanner(self.drafts)
        self.drafts_banner.restore_requested.connect(self.restore_draft)

        body = QHBoxLayout()
        body.addWidget(self.navigation)
        body.addWidget(self.stack, 1)
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self.drafts_banner)
        column.addLayout(body, 1)
        self.setCentralWidget(central)

        self.status_panel = StatusPanel(services)
        self.statusBar().addPermanentWidget(self.status_panel)
        self.changes.records_changed.connect(lambda _kind: self.status_panel.refresh())

        self.actions = WindowActions(self)
        self._wire_actions()
        for panel in self.panels.values():
            panel.context_menu.show_related.connect(self.show_related)
        self._wire_sync()
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self._restore_window()
        self.drafts_banner.offer(self.drafts.all())
        self.idle_lock = IdleLock(self, services, self.settings.lock_after_minutes,
                                  busy=lambda: self.sync_page.runner.busy)
        self.security_settings.lock_minutes_changed.connect(self.idle_lock.set_minutes)
        self.security_settings.encrypted.connect(self.idle_lock.arm)

    # -- assembly ---------------------------------------------------------------------------------

    def _wire_actions(self) -> None:
        actions = self.actions
        actions.connect("new", lambda: self._panel_call("new_record"))
        actions.connect("edit", lambda: self._panel_call("edit_selected"))
        actions.connect("save", lambda: self._panel_call("save"))
        actions.connect("delete", lambda: self._panel_call("delete_selected"))
        actions.connect("undo", lambda: self._panel_call("undo_delete"))
        actions.connect("find", lambda: self._panel_call("focus_search"))
        actions.connect("next", lambda: self._panel_call("move_selection", 1))
        actions.connect("previous", lambda: self._panel_call("move_selection", -1))
        actions.connect("import", self.import_records)
        actions.connect("import_history", self.show_import_history)
        actions.connect("export", self.export_records)
        actions.connect("quit", self.close)
        actions.connect("about", self.about)
        actions.connect("shortcuts", lambda: show_shortcuts(self))
        for name, _label in VIEWS:
            actions.connect(f"view_{name}", lambda name=name: self.show_view(name))

    def _wire_sync(self) -> None:
        page = self.sync_page
        self.addAction(page.sync_now_action)  # F5 works from every view
        self.actions.menus["file"].insertAction(self.actions["quit"], page.sync_now_action)
        self.addAction(page.sync_files_action)  # Ctrl+Shift+F5 too
        self.actions.menus["file"].insertAction(self.actions["quit"], page.sync_files_action)
        page.connection_changed.connect(self._connection_changed)
        page.runner.enrolled.connect(lambda _enrolment: page.sync_now())  # a first sync at once
        self.status_panel.conflicts_requested.connect(self.show_conflicts)
        self.status_panel.conflicts_counted.connect(self._show_conflict_count)
        # A pull or a conflict decision may change any kind of record.
        page.synced.connect(lambda: [self.changes.records_changed.emit(kind) for kind in self.panels])
        self.changes.records_changed.connect(lambda _kind: page.refresh_outbox())

    def show_conflicts(self) -> None:
        self.show_view("sync")
        self.sync_page.show_conflicts()

    def _show_conflict_count(self, count: int) -> None:
        item = self.navigation.item([name for name, _label in VIEWS].index("sync"))
        item.setText(sync_view_text(count))
        item.setToolTip(conflicts_waiting_text(count) if count else "")

    def _connection_changed(self, online: bool) -> None:
        self.status_panel.online = online
        self.status_panel.refresh()

    def _restore_window(self) -> None:
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        names = [name for name, _label in VIEWS]
        last = self.settings.last_view
        self.show_view(last if last in names else "partners")

    # -- views ------------------------------------------------------------------------------------

    def current_view(self) -> str:
        return VIEWS[max(self.navigation.currentRow(), 0)][0]

    def show_view(self, name: str) -> None:
        row = [view for view, _label in VIEWS].index(name)
        self.navigation.setCurrentRow(row)

    def _view_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.settings.last_view = VIEWS[row][0]
        panel = self.current_panel()
        if panel is not None:
            panel.table.setFocus()

    def current_panel(self) -> RecordPanel | None:
        page = self.stack.currentWidget()
        if isinstance(page, RecordPanel):
            return page
        if page is self.forums_page:
            return self.forums_page.current_panel()
        return None

    def _panel_call(self, method: str, *args: object) -> None:
        panel = self.current_panel()
        if panel is not None:
            getattr(panel, method)(*args)

    def show_related(self, kind: str, field: str, record_id: str, title: str) -> None:
        """Open the list of ``kind`` showing only the records whose ``field`` names ``record_id``."""
        panel = self.panels[kind]
        self.show_view("forums" if kind in ("forums", "registrations") else kind)
        if kind in ("forums", "registrations"):
            self.forums_page.setCurrentWidget(panel)
        panel.search.clear()
        panel.filters.pin(field, record_id, title)
        panel.table.setFocus()

    def open_record(self, kind: str, record_id: str) -> None:
        """Show one record in its list's detail pane (a marker clicked on the map)."""
        self.show_view(kind)
        self.panels[kind].open_record(record_id)

    def restore_draft(self, draft: Draft) -> None:
        panel = self.panels.get(draft.kind)
        if panel is None:
            return
        self.show_view("forums" if draft.kind in ("forums", "registrations") else draft.kind)
        if draft.kind in ("forums", "registrations"):
            self.forums_page.setCurrentWidget(panel)
        panel.restore_draft(draft)

    # -- files ------------------------------------------------------------------------------------

    def import_records(self, path: Path | None = None) -> ImportWizard | None:
        panel = self.current_panel()
        if panel is None:
            return None
        return open_import_wizard(self, self._services, panel.kind, self.changes, path)

    def show_import_history(self) -> ImportHistoryDialog:
        """The imports made, each with its undo; one dialog, brought to the front if open."""
        if self._import_history is None or not isValid(self._import_history):
            self._import_history = ImportHistoryDialog(self._services, self.changes, self)
            self._import_history.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        else:
            self._import_history.reload()
        self._import_history.show()
        self._import_history.raise_()
        self._import_history.activateWindow()
        return self._import_history

    def export_records(self, path: Path | None = None) -> None:
        panel = self.current_panel()
        if panel is None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export records"), f"{panel.kind}.csv", _(FILE_FILTER)
            )
            if not chosen:
                return
            path = Path(chosen)
        start_export(self, self._services, panel.kind, path)

    # -- language, about, closing ------------------------------------------------------------------

    def switch_language(self, code: str) -> None:
        self.settings.language = set_language(code)

    def about(self) -> None:
        show_about(self, self._services)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Relay — 4 per 1000 Initiative"))
        for row, (_name, label) in enumerate(VIEWS):
            self.navigation.item(row).setText(_(label))
        self._show_conflict_count(self.status_panel.conflict_count)
        self.navigation.setAccessibleName(_("Sections"))
        self.actions.retranslate_ui()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for panel in self.panels.values():
            if not panel.has_unsaved_changes():
                continue
            answer = ask_unsaved(self, panel.editor.title.text())
            if answer is Unsaved.CANCEL:
                event.ignore()
                return
            if answer is Unsaved.SAVE:
                event.ignore()
                if not panel.editor.save(then=self.close):
                    self.restore_draft_view(panel)
                return
            panel.editor.discard()
        self.settings.geometry = self.saveGeometry()
        self.settings.last_view = self.current_view()
        self.settings.sync()
        self.sync_page.shut_down()  # a running sync stops within a second; nothing is lost
        wait_for_network()
        wait_for_writer()
        event.accept()

    def restore_draft_view(self, panel: RecordPanel) -> None:
        """Bring an editor whose save was refused on screen, so its marked fields are seen."""
        self.show_view("forums" if panel.kind in ("forums", "registrations") else panel.kind)
        if panel.kind in ("forums", "registrations"):
            self.forums_page.setCurrentWidget(panel)
