"""The Sync page: enrol this device, sync now (F5) with progress and Cancel, the data saver and
"Sync files now" (Ctrl+Shift+F5), the outbox, the history of runs and the open conflicts.

The page only shows and asks: runs go through ``SyncRunner`` on the network thread, the export and
conflict decisions through ``Operation`` on the database thread, and tables read plain rows from
``services.outbox_view``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.services.outbox_view import EnrolmentState, enrolment_state, export_for_support
from relay_app.sync.connect import Enrolment
from relay_app.sync.data_saver import read_data_saver, write_data_saver
from relay_app.sync.progress import Phase, SyncProgress, SyncSummary
from relay_app.ui.dialogs import show_device_wiped
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.sync.auto_sync import AutoSync
from relay_app.ui.sync.conflicts_page import ConflictsPage
from relay_app.ui.sync.display import (
    files_outcome,
    format_bytes,
    outcome_label,
    progress_label,
    stopped_outcome,
)
from relay_app.ui.sync.enrolment_form import EnrolmentForm
from relay_app.ui.sync.files_controls import SYNC_FILES_SHORTCUT, FileSyncControls
from relay_app.ui.sync.history_model import HistoryModel
from relay_app.ui.sync.outbox_model import OutboxModel
from relay_app.ui.sync.preferences import SyncPreferences
from relay_app.ui.sync.runner import SyncRunner

SYNC_SHORTCUT = "F5"


def _table(model: Any) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # arrows move in the list; Tab goes on to the next control
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def conflicts_outcome(waiting: int) -> str:
    """The last run left conflicts: how many still wait, or that all were decided since."""
    if not waiting:
        return _("Every conflict is decided; your decisions go to the server with the next sync.")
    return ngettext(
        "{count} conflict waits for your decision.",
        "{count} conflicts wait for your decision.",
        waiting,
    ).format(count=waiting)


class SyncPage(QWidget):
    # Whether the last run (or enrolment) reached the server; ``online`` is None until one has.
    connection_changed = Signal(bool)
    # Local records may have changed (a pull, a conflict decision): lists and the status bar refresh.
    synced = Signal()
    # Any run ended, whatever its outcome: widgets showing "Not downloaded yet" look again.
    run_ended = Signal()

    def __init__(self, services: Services, *, engine_options: dict[str, Any] | None = None) -> None:
        super().__init__()
        self._services = services
        self.preferences = SyncPreferences(services.paths)
        self.runner = SyncRunner(services.database, services.paths.data_dir, engine_options)
        self.runner.setParent(self)
        self.auto_sync = AutoSync(self.runner)
        self.wipe_notice: QMessageBox | None = None  # shown when a revoked device erased its data
        self.auto_sync.setParent(self)
        self._outbox_stale = False
        self.online: bool | None = None
        # What the status lines say, kept as data so a language switch can say it again.
        self._progress: SyncProgress | None = None
        self._outcome: tuple[str, Any] | None = None
        # How the last run ended ("ok", "failed", "cancelled"); None while one runs or before any.
        self._ended: str | None = None
        self.enrolment = EnrolmentState(None, None, enrolled=False)

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.enrol_box = EnrolmentForm()
        self.enrol_box.submitted.connect(self.enroll)
        self._build_controls()
        self.outbox = OutboxModel(services.database)
        self.history = HistoryModel(services.database)
        self.conflicts = ConflictsPage(services.database)
        self.conflicts.resolved.connect(self._conflict_resolved)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_outbox(), "")
        self.tabs.addTab(self._history_tab(), "")
        self.tabs.addTab(self.conflicts, "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.enrol_box)
        layout.addWidget(self.sync_box)
        layout.addWidget(self.tabs, 1)

        self.sync_now_action = QAction(self)
        self.sync_now_action.setShortcut(QKeySequence(SYNC_SHORTCUT))
        self.sync_now_action.triggered.connect(lambda _checked=False: self.sync_now())
        self.sync_files_action = QAction(self)
        self.sync_files_action.setShortcut(QKeySequence(SYNC_FILES_SHORTCUT))
        self.sync_files_action.triggered.connect(lambda _checked=False: self.sync_files_now())
        self.addAction(self.sync_files_action)  # the window may add it too, for every view

        self.runner.started.connect(self._run_started)
        self.runner.progressed.connect(self._progressed)
        self.runner.finished.connect(self._run_finished)
        self.runner.failed.connect(self._run_failed)
        self.runner.enrolled.connect(self._enrolled)
        self.runner.enrol_failed.connect(self._enrol_failed)

        language_signal().changed.connect(self.retranslate_ui)
        self.refresh()
        self.auto_sync.set_enabled(self.preferences.automatic and self.is_enrolled())

    # -- building --------------------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.sync_box = QGroupBox()
        self.connected_to = QLabel()
        self.connected_to.setWordWrap(True)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.automatic = QCheckBox()
        self.automatic.setChecked(self.preferences.automatic)
        self.automatic.toggled.connect(self._automatic_toggled)
        self.files = FileSyncControls()
        self.files.data_saver_toggled.connect(self._data_saver_toggled)
        self.files.sync_files_clicked.connect(self.sync_files_now)
        self.phase = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.traffic = QLabel()
        self.result = QLabel()
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.automatic)
        column = QVBoxLayout(self.sync_box)
        column.addWidget(self.connected_to)
        column.addLayout(buttons)
        column.addWidget(self.files)
        column.addWidget(self.phase)
        column.addWidget(self.progress)
        column.addWidget(self.traffic)
        column.addWidget(self.result)
        # The outcome may take several lines: the tables below give way, never these words.
        self.sync_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def _build_outbox(self) -> QWidget:
        self.outbox_table = _table(self.outbox)
        self.outbox_count = QLabel()
        self.outbox_note = QLabel()
        self.outbox_note.setWordWrap(True)
        self.retry_button = QPushButton()
        self.retry_button.clicked.connect(self.retry_now)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.export_outbox())
        buttons = QHBoxLayout()
        buttons.addWidget(self.outbox_count, 1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.export_button)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.outbox_note)
        column.addWidget(self.outbox_table, 1)
        column.addLayout(buttons)
        return page

    def _history_tab(self) -> QWidget:
        self.history_table = _table(self.history)
        return self.history_table

    # -- state -----------------------------------------------------------------------------------

    def is_enrolled(self) -> bool:
        self.enrolment = enrolment_state(self._services.database, self._services.paths.data_dir)
        return self.enrolment.enrolled

    def refresh(self) -> None:
        """Re-read the enrolment, the outbox, the history and the conflicts."""
        enrolled = self.is_enrolled()
        self.enrol_box.setVisible(not enrolled)
        self.sync_box.setVisible(enrolled)
        self._outbox_stale = False
        self.files.show_data_saver(read_data_saver(self._services.database))
        self.outbox.refresh()
        self.history.refresh()
        self.conflicts.refresh()
        self._update_buttons()
        self.retranslate_ui()

    def refresh_outbox(self) -> None:
        """Called after every save: re-read now if on screen, else when the page is next shown."""
        if not self.isVisible():
            self._outbox_stale = True
            return
        self._outbox_stale = False
        self.outbox.refresh()
        self._update_buttons()
        self._retranslate_outbox()

    def shut_down(self) -> None:
        """At closing: no more automatic runs, and a running one stops (what it stored stays)."""
        self.auto_sync.set_enabled(False)
        self.runner.cancel()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.runner.busy or self._outbox_stale:
            self.refresh()

    def _update_buttons(self) -> None:
        running = self.runner.busy
        enrolled = self.enrolment.enrolled
        self.sync_button.setEnabled(enrolled and not running)
        self.sync_now_action.setEnabled(enrolled and not running)
        self.sync_files_action.setEnabled(enrolled and not running)
        self.files.sync_files_button.setEnabled(enrolled and not running)
        self.cancel_button.setEnabled(running and enrolled)
        self.enrol_box.button.setEnabled(not running)
        self.retry_button.setEnabled(enrolled and not running and bool(self.outbox.rows))
        self.export_button.setEnabled(True)

    # -- enrolment -------------------------------------------------------------------------------

    def enroll(self, server_url: str, code: str) -> None:
        if self.runner.enroll(server_url, code):
            self.enrol_box.working()
            self._update_buttons()

    def _enrolled(self, _enrolment: Enrolment) -> None:
        self.enrol_box.succeeded()
        self._set_online(True)
        self.refresh()
        self.auto_sync.set_enabled(self.preferences.automatic)

    def _enrol_failed(self, message: str) -> None:
        self.enrol_box.failed(message)
        self._update_buttons()

    # -- running ---------------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """Start a sync now (F5); refused changes are sent again at once. False if not started."""
        if not self.is_enrolled():
            return False
        return self.runner.sync_now()

    def sync_files_now(self) -> bool:
        """Start a sync that moves files now (Ctrl+Shift+F5), data saver or not."""
        if not self.is_enrolled():
            return False
        return self.runner.sync_files_now()

    def retry_now(self) -> bool:
        """Send the outbox now, refused changes included, without waiting for their next retry."""
        return self.sync_now()

    def cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.runner.cancel()

    def show_conflicts(self) -> None:
        """Bring the Conflicts tab forward (the status bar's "conflicts wait" leads here)."""
        self.tabs.setCurrentWidget(self.conflicts)
        self.conflicts.list.setFocus()

    def _run_started(self, _manual: bool) -> None:
        self._progress = SyncProgress(Phase.CHECKING)
        self._outcome = None
        self._ended = None
        self.progress.setRange(0, 0)
        self._update_buttons()
        self.retranslate_ui()

    def _progressed(self, step: SyncProgress) -> None:
        self._progress = step
        if step.phase in (Phase.RETRYING, Phase.WAITING):
            pass  # the bar keeps what got through; the words say it is trying again
        elif step.total:
            self.progress.setRange(0, step.total)
            self.progress.setValue(min(step.done, step.total))
        elif step.phase is Phase.DONE:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        else:
            self.progress.setRange(0, 0)  # pulls have no known end: a busy bar
        self._retranslate_progress()

    def _run_finished(self, summary: SyncSummary) -> None:
        self._outcome = ("summary", summary)
        self._ended = "ok"
        self._set_online(True)
        self._run_ended(summary)

    def _run_failed(self, message: str, code: str, summary: SyncSummary | None) -> None:
        if code == "not_enrolled":  # the engine's words name the command line's way to enrol
            message = _("This device is not enrolled: enter the server's address and the "
                        "enrolment code on this page.")
        if code == "device_wiped":  # revoked: the personal data and the token are gone
            self.auto_sync.set_enabled(False)
            self.wipe_notice = show_device_wiped(self, message)
        self._outcome = ("stopped", (message, summary))
        self._ended = "cancelled" if code == "cancelled" else "failed"
        if code in ("offline", "not_enrolled", "captive_portal"):  # a portal: not on the internet yet
            self._set_online(False)
        elif code != "cancelled":
            self._set_online(True)  # the server answered, with a refusal
        self._run_ended(summary)

    def _run_ended(self, summary: SyncSummary | None) -> None:
        last = self._progress or SyncProgress(Phase.DONE)
        # The run's own count of bytes when it has one, else the last one it reported.
        sent, received = (
            (summary.bytes_sent, summary.bytes_received)
            if summary is not None
            else (last.bytes_sent, last.bytes_received)
        )
        self._progress = SyncProgress(Phase.DONE, bytes_sent=sent, bytes_received=received)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self._outcome and self._outcome[0] == "summary" else 0)
        self.refresh()
        if summary is None or not summary.idle:  # an idle check changed nothing: lists stay
            self.synced.emit()
        self.run_ended.emit()

    def _set_online(self, online: bool) -> None:
        if self.online != online:
            self.online = online
            self.connection_changed.emit(online)

    def _automatic_toggled(self, on: bool) -> None:
        self.preferences.automatic = on
        self.auto_sync.set_enabled(on and self.is_enrolled())

    def _data_saver_toggled(self, on: bool) -> None:
        """Stored by the database thread, like every other write of this page."""
        database = self._services.database

        def refused(error: BaseException) -> None:
            self.files.show_data_saver(not on)
            self._outcome = ("error", _("The data saver could not be changed: {reason}").format(
                reason=error))
            self._retranslate_result()

        Operation(self, lambda _progress: write_data_saver(database, on)).failure(refused).run()

    def _conflict_resolved(self, _kind: str) -> None:
        self.refresh_outbox()
        self._retranslate_result()  # the last run's "conflicts wait" counts what is left
        self.synced.emit()

    # -- export ----------------------------------------------------------------------------------

    def export_outbox(self, path: Path | None = None) -> Operation | None:
        """Write the outbox and the sync history to a JSON file a person can send to support."""
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export for support"), "relay-outbox.json", _("JSON files (*.json)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        database, device_id = self._services.database, self._services.device_id
        target = path

        def work(_progress: object) -> int:
            return export_for_support(database, target, device_id)

        def written(count: int) -> None:
            self._outcome = ("exported", (count, str(target)))
            self._retranslate_result()

        def refused(error: BaseException) -> None:
            self._outcome = ("error", _("The export failed: {reason}").format(reason=error))
            self._retranslate_result()

        return Operation(self, work).success(written).failure(refused).run()

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(_("Sync"))
        self.sync_box.setTitle(_("Sync with the central platform"))
        self.connected_to.setText(
            _("Server: {server}; relay: {relay}").format(
                server=self.enrolment.server_url or "", relay=self.enrolment.relay_name or ""
            )
        )
        self.sync_button.setText(_("Sync &now"))
        self.sync_button.setToolTip(_("Send your changes and receive others' ({key})").format(
            key=SYNC_SHORTCUT))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop the sync; what was exchanged is kept"))
        self.automatic.setText(_("Sync automatically"))
        self.automatic.setToolTip(
            _("Sync every minute while changes wait, and again when the network comes back")
        )
        self.progress.setAccessibleName(_("Sync progress"))
        self.sync_now_action.setText(_("Sync &now"))
        self.sync_now_action.setToolTip(_("Sync now ({key})").format(key=SYNC_SHORTCUT))
        self.sync_files_action.setText(_("Sync fi&les now"))
        self.sync_files_action.setToolTip(
            _("Sync files now ({key})").format(key=SYNC_FILES_SHORTCUT)
        )
        self.files.retranslate_ui()
        self._retranslate_progress()
        self._retranslate_result()

        self.tabs.setTabText(0, _("Outbox"))
        self.tabs.setTabText(1, _("History"))
        self.tabs.setTabText(2, self._conflicts_tab_text())
        self.tabs.setAccessibleName(_("Sync details"))
        self.outbox_table.setAccessibleName(_("Changes waiting to be sent"))
        self.history_table.setAccessibleName(_("Past syncs"))
        self.retry_button.setText(_("&Retry now"))
        self.retry_button.setToolTip(_("Send the waiting changes now, refused ones included"))
        self.export_button.setText(_("E&xport for support…"))
        self.export_button.setToolTip(_("Save the outbox and the sync history as a JSON file"))
        self.outbox.retranslate_ui()
        self.history.retranslate_ui()
        self._retranslate_outbox()

    def _conflicts_tab_text(self) -> str:
        count = len(self.conflicts.conflicts)
        if not count:
            return _("Conflicts")
        return _("Conflicts ({count})").format(count=count)

    def _retranslate_outbox(self) -> None:
        count = self.outbox.total
        self.outbox_count.setText(
            ngettext(
                "{count} change waiting to sync", "{count} changes waiting to sync", count
            ).format(count=count)
        )
        self.outbox_note.setText(
            _(
                "A change leaves the outbox only once the server has confirmed it received it; "
                "a cut link or a stopped sync loses nothing."
            )
        )
        self.tabs.setTabText(2, self._conflicts_tab_text())

    def _retranslate_progress(self) -> None:
        step = self._progress
        if step is None:
            self.phase.setText(_("No sync has run since Relay started."))
            self.traffic.setText("")
            return
        if self._ended in ("failed", "cancelled"):
            self.phase.setText(outcome_label(self._ended))  # not "Done": it stopped short
        else:
            self.phase.setText(progress_label(step))
        self.traffic.setText(
            _("Data sent: {sent}; received: {received}").format(
                sent=format_bytes(step.bytes_sent), received=format_bytes(step.bytes_received)
            )
        )

    def _retranslate_result(self) -> None:
        if self._outcome is None:
            self.result.setText("")
            return
        kind, value = self._outcome
        waiting = len(self.conflicts.conflicts)  # decisions taken since the run count
        if kind == "summary":
            summary: SyncSummary = value
            if summary.in_sync:
                text = _("In sync: {sent} sent, {received} received.").format(
                    sent=summary.pushed, received=summary.pulled
                )
            elif summary.open_conflicts:
                text = conflicts_outcome(waiting)
            else:
                text = summary.reason or _("Not everything was exchanged.")
            text = "\n".join([text, *files_outcome(summary)])  # one sentence a line
        elif kind == "stopped":
            message, partial = value
            lines = [message]
            if partial is not None:
                lines.extend(stopped_outcome(partial))
                if partial.open_conflicts:
                    lines.append(conflicts_outcome(waiting))
            text = "\n".join(lines)
        elif kind == "exported":
            count, where = value
            text = ngettext(
                "{count} pending change exported to {path}.",
                "{count} pending changes exported to {path}.",
                count,
            ).format(count=count, path=where)
        else:
            text = str(value)
        self.result.setText(text)
