"""The status bar's permanent facts: online or offline, pending changes, last sync.

Each fact is an icon and words, never a colour alone.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from relay_app.formatting import format_datetime
from relay_app.i18n import _, ngettext
from relay_app.services import Services
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


class StatusPanel(QWidget):
    REFRESH_MS = 60_000  # a sync run from the command line shows up within a minute

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self.online = False  # until sync exists there is no server to reach
        self.connection_icon = QLabel()
        self.connection = QLabel()
        self.pending = QLabel()
        self.last_sync = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.connection_icon, self.connection, self.pending, self.last_sync):
            layout.addWidget(widget)
        language_signal().changed.connect(self.retranslate_ui)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(self.REFRESH_MS)
        self.retranslate_ui()

    def refresh(self) -> None:
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
        self.setAccessibleName(
            _("{connection}; {pending}; {last_sync}").format(
                connection=self.connection.text(),
                pending=self.pending.text(),
                last_sync=self.last_sync.text(),
            )
        )
