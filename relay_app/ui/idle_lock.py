"""Locking an encrypted store's window after a time without use.

Any key, click or wheel in the application restarts the countdown (Settings ▸ Security, 15
minutes by default, 0 for never). When it runs out, the window's content is covered, the
database's connections are closed and the data key is forgotten; the unlock dialog then asks for
the passphrase (window-modal, so no shortcut reaches the window behind it). A sync or a save in
progress is let finish first: the lock waits for the next quiet moment. A clear store never locks,
and its input is not watched (``arm`` starts watching once the store is encrypted from Settings).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.store.encryption import lock
from relay_app.store.unlocked import is_encrypted
from relay_app.ui.operations import wait_for_writer
from relay_app.ui.unlock import UnlockDialog

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, services: Services, minutes: int, busy: Callable[[], bool]) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._busy = busy
        self.cover: QWidget | None = None
        self.dialog: UnlockDialog | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock_now)
        self._armed = False
        self.set_minutes(minutes)
        if is_encrypted(services.paths):
            self.arm()

    def arm(self) -> None:
        """Watch the application's input from now on (a clear store is not watched at all)."""
        if self._armed:
            return
        self._armed = True
        self._window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if self.timer.interval() > 0:
            self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(max(0, minutes) * 60_000)

    def set_interval_ms(self, interval: int) -> None:
        self.timer.stop()
        self.timer.setInterval(interval)
        if interval > 0 and self._armed:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in _INPUT and not self.is_locked and self.timer.interval() > 0:
            self.timer.start()
        elif kind == QEvent.Type.Resize and watched is self._window and self.cover is not None:
            self.cover.setGeometry(self._window.rect())
        return False

    def lock_now(self) -> bool:
        """Lock if the store is encrypted and nothing is running; True when it locked."""
        paths = self._services.paths
        if self.is_locked or not is_encrypted(paths):
            return False
        if self._busy():
            self.timer.start()  # try again after another quiet spell
            return False
        wait_for_writer()
        self._services.database.close()
        lock(paths)
        self._cover()
        self.dialog = UnlockDialog(paths, self._window, after_idle=True)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(self._quit)
        self.dialog.open()  # window-modal: the covered window takes no input
        self.dialog.raise_()
        self.dialog.activateWindow()  # keys go to the passphrase, not to the window's shortcuts
        self.locked.emit()
        return True

    def _cover(self) -> None:
        cover = QWidget(self._window)
        cover.setAutoFillBackground(True)
        cover.setBackgroundRole(QPalette.ColorRole.Window)
        note = QLabel(_("Relay is locked."))
        layout = QVBoxLayout(cover)
        layout.addStretch(1)
        layout.addWidget(note)
        layout.addStretch(1)
        cover.setGeometry(self._window.rect())
        cover.show()
        cover.raise_()
        self.cover = cover

    def _unlocked(self) -> None:
        if self.cover is not None:
            self.cover.deleteLater()
            self.cover = None
        self.dialog = None
        if self.timer.interval() > 0:
            self.timer.start()
        self.unlocked.emit()

    def _quit(self) -> None:
        # The store stays locked; drafts were already sealed on disk and are offered at next start.
        QApplication.quit()

