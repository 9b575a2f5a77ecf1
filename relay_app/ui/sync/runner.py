"""Sync and enrolment on the network thread, reported to the window by signals.

The network has its own one-thread pool, apart from the database writer of ``ui/operations.py``:
a sync waiting on a slow link must never hold up a save. The engine writes its own receipts and
pages (each one short SQLite transaction), so nothing here touches widgets or ORM sessions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from relay_app.store.backups import backup_before_sync
from relay_app.store.database import Database
from relay_app.store.unlocked import is_locked
from relay_app.sync.connect import Enrolment, enroll_device, open_engine
from relay_app.sync.engine import SyncEngine
from relay_app.sync.errors import Cancelled, SyncError
from relay_app.sync.progress import SyncProgress

_network: QThreadPool | None = None


def network_pool() -> QThreadPool:
    """The one thread that talks to the server (a second sync would only queue behind it)."""
    global _network
    if _network is None:
        _network = QThreadPool()
        _network.setMaxThreadCount(1)
    return _network


def wait_for_network(msecs: int = 30000) -> bool:
    return network_pool().waitForDone(msecs)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work

    def run(self) -> None:
        self._work()


class SyncRunner(QObject):
    """Starts runs (a person's ``sync_now`` or the timer's ``tick``) and enrolments, one at a time.

    Signals arrive on the GUI thread: ``progressed(SyncProgress)``, then either
    ``finished(SyncSummary)`` or ``failed(message, code, SyncSummary | None)``.
    """

    started = Signal(bool)  # True for a person's sync, False for an automatic one
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(str, str, object)
    enrolled = Signal(object)
    enrol_failed = Signal(str)

    def __init__(
        self,
        database: Database,
        data_dir: Path,
        engine_options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self._database = database
        self._data_dir = data_dir
        # Extra options for ``open_engine`` (timeouts, retry schedule) for slow or special links.
        self._engine_options = engine_options or {}
        self._stop = threading.Event()
        self._engine: SyncEngine | None = None
        self._lock = threading.Lock()
        self.busy = False

    # -- sync ------------------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """A person's sync: refused changes are sent again at once; files follow the data saver.

        False if a run is already going.
        """
        return self._start(manual=True)

    def sync_files_now(self) -> bool:
        """A person's sync that moves files too, whatever the data saver says."""
        return self._start(manual=True, files=True)

    def tick(self) -> bool:
        """The timer's sync: refused changes wait out their backoff; files follow the data saver.

        A locked store (the window's idle lock) is not synced until it is unlocked.
        """
        if is_locked(self._data_dir):
            return False
        return self._start(manual=False)

    def cancel(self) -> None:
        """Stop the running sync within a fraction of a second; everything stored stays."""
        self._stop.set()
        with self._lock:
            if self._engine is not None:
                self._engine.cancel()

    def _start(self, *, manual: bool, files: bool | None = None) -> bool:
        if self.busy:
            return False
        self.busy = True
        self._stop.clear()
        self.started.emit(manual)
        network_pool().start(_Job(lambda: self._run(manual, files)))
        return True

    def _report(self, step: SyncProgress) -> None:
        self.progressed.emit(step)
        # The engine clears its own cancel flag when a run starts; a Cancel pressed before that
        # moment is honoured here, at the first report.
        if self._stop.is_set():
            raise Cancelled()

    def _run(self, manual: bool, files: bool | None) -> None:
        try:
            engine = open_engine(
                self._database, self._data_dir, progress=self._report, **self._engine_options
            )
            with self._lock:
                self._engine = engine
            backup_before_sync(self._database.path, automatic=not manual)
            summary = engine.sync(files=files) if manual else engine.tick()
        except SyncError as error:
            self._done()
            self.failed.emit(str(error), error.code, error.summary)
        except Exception as error:  # an unexpected failure must still end the run on screen
            self._done()
            self.failed.emit(str(error), "sync_failed", None)
        else:
            self._done()
            self.finished.emit(summary)

    def _done(self) -> None:
        with self._lock:
            self._engine = None
        self.busy = False

    # -- enrolment -------------------------------------------------------------------------------

    def enroll(self, server_url: str, code: str) -> bool:
        if self.busy:
            return False
        self.busy = True

        def work() -> None:
            try:
                result: Enrolment = enroll_device(
                    self._database, self._data_dir, server_url, code
                )
            except Exception as error:  # a wrong code or an unreachable server: say so
                self.busy = False
                self.enrol_failed.emit(str(error))
            else:
                self.busy = False
                self.enrolled.emit(result)

        network_pool().start(_Job(work))
        return True

