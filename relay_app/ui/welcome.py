"""The first-run welcome: what Relay is for, and two ways to begin (enrol this device, or offline).

Offered once per data folder, over the shown window, when the store is fresh: no records, nothing
waiting to sync and no enrolment. Whatever the person chooses (Escape and the close box mean
"Start offline"), ``ui.ini`` remembers that it was shown. "Enrol this device…" leads to the Sync
page's own enrolment form; the window starts a first sync once that enrolment succeeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.outbox_view import enrolment_state
from relay_app.ui.icons import app_icon
from relay_app.ui.language import language_signal
from relay_app.ui.settings import UiSettings

if TYPE_CHECKING:
    from relay_app.ui.main_window import MainWindow


def is_first_run(services: Services, settings: UiSettings) -> bool:
    """A store nobody has used yet, whose window has not welcomed anyone yet."""
    if settings.welcome_shown:
        return False
    status = services.status()
    if any(status.counts.values()) or status.pending_changes:
        return False
    return not enrolment_state(services.database, services.paths.data_dir).enrolled


class WelcomeDialog(QDialog):
    """Accepted means "Enrol this device…", rejected "Start offline"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(560)
        self.logo = QLabel()
        self.logo.setPixmap(app_icon().pixmap(64, 64))
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.purpose = QLabel()
        self.next_steps = QLabel()
        for label in (self.purpose, self.next_steps):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.enrol_button = QPushButton()
        self.offline_button = QPushButton()
        self.enrol_button.setDefault(True)
        self.enrol_button.clicked.connect(self.accept)
        self.offline_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.heading)
        text.addWidget(self.purpose)
        text.addWidget(self.next_steps)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.offline_button)
        buttons.addWidget(self.enrol_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Welcome to Relay"))
        self.heading.setText(_("Welcome to Relay"))
        self.purpose.setText(
            _(
                "Relay keeps the records of your regional relay of the 4 per 1000 Initiative "
                "(partners, practices, forums and registrations) on this computer. It works without "
                "a connection and syncs your changes with the central platform when one is available."
            )
        )
        self.next_steps.setText(
            _(
                "To sync, enrol this device with the server address and the one-time code your "
                "relay's administrator gives you. You can also start offline and enrol later on the "
                "Sync page (Ctrl+5); nothing you enter is lost in the meantime."
            )
        )
        self.enrol_button.setText(_("&Enrol this device…"))
        self.offline_button.setText(_("&Start offline"))


def offer_welcome(window: MainWindow, services: Services) -> WelcomeDialog | None:
    """On a first run, open the welcome over ``window`` (shown already); None otherwise."""
    if not is_first_run(services, window.settings):
        return None
    dialog = WelcomeDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(result: int) -> None:
        window.settings.welcome_shown = True
        window.settings.sync()
        if result == QDialog.DialogCode.Accepted:
            window.show_view("sync")
            window.sync_page.enrol_box.server_url.setFocus()

    dialog.finished.connect(chosen)
    dialog.open()  # window-modal, and returns at once: the window behind is drawn and ready
    return dialog
