"""The "Enrol this device" form: server address and one-time code, and what became of them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton

from relay_app.i18n import _
from relay_app.ui.language import language_signal


class EnrolmentForm(QGroupBox):
    submitted = Signal(str, str)  # server address, code (both stripped, neither empty)

    def __init__(self) -> None:
        super().__init__()
        # A message as a function, so a language switch words it again.
        self._message: Callable[[], str] | None = None
        self.server_url = QLineEdit()
        self.code = QLineEdit()
        self.server_label = QLabel()
        self.code_label = QLabel()
        self.server_label.setBuddy(self.server_url)
        self.code_label.setBuddy(self.code)
        self.button = QPushButton()
        self.button.clicked.connect(self.submit)
        self.code.returnPressed.connect(self.submit)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.help)
        form.addRow(self.server_label, self.server_url)
        form.addRow(self.code_label, self.code)
        form.addRow(self.button)
        form.addRow(self.status)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def submit(self) -> None:
        url, code = self.server_url.text().strip(), self.code.text().strip()
        if not url or not code:
            self.say(lambda: _("Enter the server address and the enrolment code."))
            return
        self.submitted.emit(url, code)

    def working(self) -> None:
        self.say(lambda: _("Enrolling this device…"))

    def failed(self, reason: str) -> None:
        self.say(lambda: _("This device could not be enrolled: {reason}").format(reason=reason))

    def succeeded(self) -> None:
        self.code.clear()
        self.say(None)

    def say(self, message: Callable[[], str] | None) -> None:
        self._message = message
        self.status.setText(message() if message else "")

    def retranslate_ui(self) -> None:
        self.setTitle(_("Enrol this device"))
        self.help.setText(
            _(
                "Sync is not configured yet on this computer. Ask your relay's administrator for "
                "the server address and a one-time enrolment code; until then your records stay "
                "here and every change waits in the outbox."
            )
        )
        self.server_label.setText(_("&Server address:"))
        self.code_label.setText(_("Enrolment &code:"))
        self.server_url.setPlaceholderText(_("https://relay.example.org"))
        self.server_url.setAccessibleName(_("Server address"))
        self.code.setAccessibleName(_("Enrolment code"))
        self.button.setText(_("&Enrol this device"))
        self.say(self._message)
