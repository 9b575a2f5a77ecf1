"""Settings ▸ Security: encrypt the store, change its passphrase, remember it, lock when idle.

Encrypting and changing the passphrase run on the database thread (``Operation``) with a progress
dialog: encryption closes the window's connections, writes and verifies the encrypted copy, puts it
in place, deals with every other copy, and reopens the same ``Database`` on the encrypted file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.store.encrypting import EncryptReport, encrypt_store
from relay_app.store.encryption import change_passphrase, encryption_status, set_remembered
from relay_app.store.remembered import keyring_available
from relay_app.store.store_key import WrongPassphrase
from relay_app.ui.editor.choice_box import FormSpinBox
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.settings import UiSettings


class PassphraseDialog(QDialog):
    """A new passphrase typed twice (and the current one, to change it); OK only when they match."""

    def __init__(self, parent: QWidget | None, *, ask_current: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change the passphrase") if ask_current else _("Encrypt this computer's data"))
        self.current = QLineEdit() if ask_current else None
        self.new = QLineEdit()
        self.again = QLineEdit()
        self.remember = QCheckBox(_("&Remember on this computer"))
        self.remember.setEnabled(keyring_available())
        self.note = QLabel(
            _(
                "Keep the passphrase safe: without it the data on this computer cannot be read, and "
                "only what was synced can be rebuilt from the server."
            )
        )
        self.note.setWordWrap(True)
        self.mismatch = QLabel()
        form = QFormLayout(self)
        form.addRow(self.note)
        if self.current is not None:
            form.addRow(_("&Current passphrase:"), self.current)
        form.addRow(_("&New passphrase:"), self.new)
        form.addRow(_("&Again:"), self.again)
        form.addRow(self.remember)
        form.addRow(self.mismatch)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for field in (self.current, self.new, self.again):
            if field is not None:
                field.setEchoMode(QLineEdit.EchoMode.Password)
                field.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        new, again = self.new.text(), self.again.text()
        ready = bool(new) and new == again and (self.current is None or bool(self.current.text()))
        self.mismatch.setText(_("The two passphrases differ.") if again and new != again else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)


class SecuritySettings(QGroupBox):
    lock_minutes_changed = Signal(int)
    encrypted = Signal()

    def __init__(self, services: Services, settings: UiSettings) -> None:
        super().__init__()
        self._services = services
        self._settings = settings
        self.operation: Operation | None = None
        self._remembered: bool | None = None  # read from the keyring at the first refresh
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.encrypt_button = QPushButton()
        self.encrypt_button.clicked.connect(self.ask_encrypt)
        self.change_button = QPushButton()
        self.change_button.clicked.connect(self.ask_change)
        self.remember = QCheckBox()
        self.remember.toggled.connect(self._remember_toggled)
        self.lock_label = QLabel()
        self.lock_minutes = FormSpinBox()  # scrolling Settings never changes the lock time
        self.lock_minutes.setRange(0, 24 * 60)
        self.lock_minutes.setValue(settings.lock_after_minutes)
        self.lock_minutes.valueChanged.connect(self._lock_minutes_changed)
        self.lock_label.setBuddy(self.lock_minutes)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.encrypt_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.state)
        form.addRow(buttons)
        form.addRow(self.remember)
        form.addRow(self.lock_label, self.lock_minutes)
        form.addRow(self.status)
        self._message = ""
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    # -- state -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        # The keyring is read once, not at each refresh: on Linux a read may pop up a prompt.
        first = self._remembered is None
        report = encryption_status(self._services.paths, ask_keyring=first)
        if first:
            self._remembered = report.remembered
        self.state.setText(
            _("The data on this computer is encrypted; it opens with your passphrase.")
            if report.encrypted
            else _("The data on this computer is not encrypted: whoever holds the disk can read it.")
        )
        self.encrypt_button.setVisible(not report.encrypted)
        self.change_button.setVisible(report.encrypted)
        self.encrypt_button.setEnabled(self.operation is None)
        self.change_button.setEnabled(self.operation is None)
        self.remember.setVisible(report.encrypted)
        self.remember.setEnabled(report.keyring_available and self.operation is None)
        self.remember.blockSignals(True)
        self.remember.setChecked(bool(self._remembered))
        self.remember.blockSignals(False)
        self.lock_label.setEnabled(report.encrypted)
        self.lock_minutes.setEnabled(report.encrypted)

    def _say(self, text: str) -> None:
        self._message = text
        self.status.setText(text)

    # -- actions ---------------------------------------------------------------------------------

    def ask_encrypt(self) -> PassphraseDialog:
        dialog = PassphraseDialog(self, ask_current=False)
        dialog.accepted.connect(lambda: self.encrypt(dialog.new.text(), dialog.remember.isChecked()))
        dialog.open()
        return dialog

    def encrypt(self, passphrase: str, remember: bool) -> Operation:
        services = self._services
        database = services.database

        def work(_progress: object) -> EncryptReport:
            database.close()  # the window's own connections; another program's refuse the work
            report = encrypt_store(services.paths, passphrase, remember=remember)
            database.reopen()
            return report

        def done(report: EncryptReport) -> None:
            from relay_app.log_file import start_log

            start_log(services.paths)  # the old log was removed; errors are now logged without values
            self.operation = None
            self.refresh()
            self._remembered = remember and keyring_available()
            self._say(ngettext("The data is encrypted, with {count} backup.",
                               "The data is encrypted, with {count} backups.", report.backups)
                      .format(count=report.backups))
            self.encrypted.emit()

        return self._run(work, done, _("Encrypting the data…"))

    def ask_change(self) -> PassphraseDialog:
        dialog = PassphraseDialog(self, ask_current=True)
        assert dialog.current is not None
        current = dialog.current
        dialog.accepted.connect(
            lambda: self.change(current.text(), dialog.new.text(), dialog.remember.isChecked())
        )
        dialog.open()
        return dialog

    def change(self, current: str, new: str, remember: bool) -> Operation:
        paths = self._services.paths

        def work(_progress: object) -> bool | None:
            change_passphrase(paths, current, new)
            return set_remembered(paths, True) if remember else None

        def done(now_remembered: bool | None) -> None:
            self.operation = None
            if now_remembered is not None:
                self._remembered = now_remembered
            self.refresh()
            self._say(_("The passphrase is changed."))

        return self._run(work, done, _("Changing the passphrase…"))

    def _run(
        self, work: Callable[[object], Any], done: Callable[[Any], None], label: str
    ) -> Operation:
        def failed(error: BaseException) -> None:
            self.operation = None
            self.refresh()
            if isinstance(error, WrongPassphrase):
                self._say(_("Wrong passphrase. Nothing was changed."))
            else:
                self._say(_("Nothing was changed: {reason}").format(reason=error))

        self.encrypt_button.setEnabled(False)
        self.change_button.setEnabled(False)
        self._say(label)
        self.operation = Operation(self, work).with_progress(label).success(done).failure(failed).run()
        return self.operation

    def _remember_toggled(self, on: bool) -> None:
        remembered = set_remembered(self._services.paths, on)
        self._remembered = remembered
        if on and not remembered:
            self._say(_("The keyring did not keep the key: the passphrase will be asked."))
        self.refresh()

    def _lock_minutes_changed(self, minutes: int) -> None:
        self._settings.lock_after_minutes = minutes
        self.lock_minutes_changed.emit(minutes)

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setTitle(_("Security"))
        self.encrypt_button.setText(_("E&ncrypt…"))
        self.encrypt_button.setToolTip(_("Encrypt the database, its backups and drafts with a passphrase"))
        self.change_button.setText(_("Change &passphrase…"))
        self.remember.setText(_("Remember the passphrase on this computer (in the system's keyring)"))
        self.lock_label.setText(_("&Lock after (minutes without use, 0 = never):"))
        self.refresh()
        self.status.setText(self._message)
