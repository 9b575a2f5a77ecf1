"""Long work off the GUI thread: ``Operation(parent, fn).success(cb).failure(cb).run()``.

Database writes run on one single-thread pool (SQLite has one writer), so saves, deletes and
imports are applied in the order they were asked for. Workers never touch widgets: results,
errors and progress reach the GUI thread through queued signals. ``with_progress`` shows a
progress dialog only if the work lasts longer than ``PROGRESS_DELAY_MS``; its Cancel button makes
the next progress report raise ``Cancelled`` inside the work, which rolls it back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from relay_app.i18n import _

PROGRESS_DELAY_MS = 600

Progress = Callable[[int, int], None]
Work = Callable[[Progress], Any]


class Cancelled(Exception):
    """Raised inside the work when the person pressed Cancel."""


_writer: QThreadPool | None = None
_running: set[Operation] = set()  # keeps operations alive until their signals arrived


def database_writer() -> QThreadPool:
    """The one thread that writes to the database."""
    global _writer
    if _writer is None:
        _writer = QThreadPool()
        _writer.setMaxThreadCount(1)
    return _writer


def wait_for_writer(msecs: int = 30000) -> bool:
    """Block until queued writes are done (used when quitting, so no write is cut short)."""
    return database_writer().waitForDone(msecs)


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Task(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._cancel = cancel

    def _report(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._signals.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self._report)
        except BaseException as error:  # every failure must reach the GUI thread
            self._signals.failed.emit(error)
        else:
            self._signals.succeeded.emit(result)


class Operation:
    """One piece of database work with its callbacks; build it, then ``run()`` it once."""

    def __init__(self, parent: QWidget | None, work: Work) -> None:
        self._parent = parent
        self._work = work
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._label: str | None = None
        self._dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._signals = _Signals()
        self.finished = False

    def success(self, callback: Callable[[Any], None]) -> Operation:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Operation:
        self._on_failure = callback
        return self

    def with_progress(self, label: str) -> Operation:
        self._label = label
        return self

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._dialog

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> Operation:
        self._signals.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        if self._label is not None:
            self._make_dialog(self._label)
        _running.add(self)
        database_writer().start(_Task(self._work, self._signals, self._cancel))
        return self

    def _make_dialog(self, label: str) -> None:
        dialog = QProgressDialog(label, _("Cancel"), 0, 0, self._parent)
        dialog.setWindowTitle(_("Working…"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        # Qt would show the dialog as soon as its estimate passes the minimum duration; the timer
        # below decides instead, so short work never flashes a dialog.
        dialog.setMinimumDuration(2**31 - 1)
        dialog.canceled.connect(self.cancel)
        dialog.hide()
        self._dialog = dialog
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show_dialog)

    def _show_dialog(self) -> None:
        if self._dialog is not None and isValid(self._dialog) and not self.finished:
            self._dialog.show()

    def _progressed(self, done: int, total: int) -> None:
        if self._dialog is not None and isValid(self._dialog) and total > 0:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))

    def _finish(self) -> None:
        self.finished = True
        # The dialog goes with its parent: a window closed while the work ran took it along.
        if self._dialog is not None and isValid(self._dialog):
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
        self._dialog = None
        _running.discard(self)

    def _succeeded(self, result: Any) -> None:
        self._finish()
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if self._on_failure is not None:
            self._on_failure(error)
        elif not isinstance(error, Cancelled):
            raise error
