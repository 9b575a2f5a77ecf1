"""The status bar's permanent facts: online or offline, pending changes, last sync, and the
conflicts waiting for a decision (a button that opens Sync ▸ Conflicts; hidden when none wait).

Each fact is an icon and words, never a colour alone.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from relay_app.formatting import format_datetime
from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.store.unlocked import is_locked
from relay_app.sync.conflicts import ConflictService
from relay_app.sync.state import LAST_SUCCESS, read_state
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal


def last_sync(services: Services) -> datetime | None:
    """When the last sync succeeded (the sync engine records it), or None."""
    with services.database.read() as session:
        value = read_state(session, LAST_SUCCESS)
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def conflicts_waiting_text(count: int) -> str:
    return ngettext("{count} conflict waits", "{count} conflicts wait", count).format(count=count)


def sync_view_text(count: int) -> str:
    """The Sync item of the navigation, with the number of conflicts waiting when there are some."""
    return _("Sync ({count})").format(count=count) if count else _("Sync")


class StatusPanel(QWidget):
    REFRESH_MS = 60_000  # a sync run from the command line shows up within a minute
    conflicts_requested = Signal()  # the "conflicts wait" button: open Sync ▸ Conflicts
    conflicts_counted = Signal(int)  # after every refresh: how many conflicts wait

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self._conflicts = ConflictService(services.database)
        self.conflict_count = 0
        self.online = False  # until sync exists there is no server to reach
        self.connection_icon = QLabel()
        self.connection = QLabel()
        self.pending = QLabel()
        self.last_sync = QLabel()
        self.conflicts = QPushButton()
        self.conflicts.setFlat(True)
        self.conflicts.setIcon(icon("warning"))
        self.conflicts.clicked.connect(self.conflicts_requested)
        self.conflicts.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.connection_icon, self.connection, self.pending, self.conflicts, self.last_sync
        ):
            layout.addWidget(widget)
        language_signal().changed.connect(self.retranslate_ui)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(self.REFRESH_MS)
        self.retranslate_ui()

    def refresh(self) -> None:
        if is_locked(self._services.paths.data_dir):
            return  # the idle lock closed the store; the first tick after unlocking refreshes
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        name = "online" if self.online else "offline"
        self.connection_icon.setPixmap(icon(name).pixmap(16, 16))
        self.connection.setText(_("Online") if self.online else _("Offline"))
        count = self._services.status().pending_changes
        self.pending.setText(
            ngettext(
                "{count} change waiting to sync", "{count} changes waiting to sync", count
            ).format(count=count)
        )
        synced = last_sync(self._services)
        when = (
            format_datetime(synced, "short")
            if synced is not None
            else _("never")
        )
        self.last_sync.setText(_("Last sync: {when}").format(when=when))
        self.conflict_count = self._conflicts.count()
        self.conflicts.setText(conflicts_waiting_text(self.conflict_count))
        self.conflicts.setToolTip(_("Open Sync ▸ Conflicts to decide"))
        self.conflicts.setVisible(self.conflict_count > 0)
        self.setAccessibleName(
            _("{connection}; {pending}; {last_sync}").format(
                connection=self.connection.text(),
                pending=self.pending.text(),
                last_sync=self.last_sync.text(),
            )
        )
        self.conflicts_counted.emit(self.conflict_count)
