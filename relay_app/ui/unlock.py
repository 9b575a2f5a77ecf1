"""The unlock dialog: the passphrase of an encrypted store, asked at start and after an idle lock.

Unwrapping the key runs Argon2id (a fifth of a second, on purpose), so it runs on the database
thread (``Operation``) while the dialog says "Unlocking…"; a wrong passphrase is said in the
dialog, the field is cleared for another try, and nothing anywhere has changed. "Remember on this
computer" keeps the key in the OS keyring; without a usable keyring the box is disabled and says why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.config import Paths
from relay_app.i18n import _
from relay_app.store.encryption import unlock_remembered, unlock_with_passphrase
from relay_app.store.remembered import keyring_available
from relay_app.store.store_key import KeyFileProblem, WrongPassphrase
from relay_app.store.unlocked import held_key, is_encrypted
from relay_app.ui.operations import Operation


class UnlockDialog(QDialog):
    """Asks for the passphrase until it opens the store, or the person quits (rejected)."""

    def __init__(self, paths: Paths, parent: QWidget | None = None, *, after_idle: bool = False) -> None:
        super().__init__(parent)
        self.paths = paths
        self.operation: Operation | None = None
        self.setWindowTitle(_("Unlock Relay"))
        self.setMinimumWidth(440)
        self.heading = QLabel(
            _("Relay was locked after a time without use.") if after_idle
            else _("This computer's Relay data is encrypted.")
        )
        self.heading.setWordWrap(True)
        self.folder = QLabel(str(paths.data_dir))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label = QLabel(_("&Passphrase:"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.label.setBuddy(self.passphrase)
        self.remember = QCheckBox(_("&Remember on this computer"))
        if not keyring_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(
                _("This computer has no usable keyring: the passphrase is asked each time.")
            )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        self.unlock_button = QPushButton(_("&Unlock"))
        self.unlock_button.setDefault(True)
        self.quit_button = QPushButton(_("Quit") if not after_idle else _("Quit Relay"))
        self.unlock_button.clicked.connect(self.try_unlock)
        # Enter in the field unlocks whichever button the dialog last made its default.
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.quit_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.folder)
        layout.addWidget(self.label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.remember)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.passphrase.setFocus()

    def try_unlock(self) -> None:
        text = self.passphrase.text()
        if not text or self.operation is not None:
            return
        self._busy(True)
        self.message.setText(_("Unlocking…"))
        self.message.setStyleSheet("")
        self.message.show()
        paths, remember = self.paths, self.remember.isChecked()
        self.operation = (
            Operation(self, lambda _progress: unlock_with_passphrase(paths, text, remember=remember))
            .success(lambda _key: self._unlocked())
            .failure(self._refused)
            .run()
        )

    def _unlocked(self) -> None:
        self.operation = None
        self.passphrase.clear()
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.operation = None
        self._busy(False)
        if isinstance(error, WrongPassphrase):
            text = _("Wrong passphrase. Nothing was changed; try again.")
        elif isinstance(error, KeyFileProblem):
            text = str(error)
        else:
            text = _("The store cannot be unlocked: {reason}").format(reason=error)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)
        self.passphrase.clear()
        self.passphrase.setFocus()

    def _busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.remember.setEnabled(not busy and keyring_available())

    def reject(self) -> None:
        if self.operation is None:  # an unlock in progress finishes first
            super().reject()


def unlock_or_ask(paths: Paths, parent: QWidget | None = None) -> bool:
    """True once the store of ``paths`` can be opened (clear, unlocked, remembered, or the person
    typed the passphrase); False if they chose to quit."""
    if not is_encrypted(paths) or held_key(paths.data_dir) is not None:
        return True
    if unlock_remembered(paths) is not None:
        return True
    return UnlockDialog(paths, parent).exec() == QDialog.DialogCode.Accepted
