"""Automatic sync: the engine's ``tick`` on a timer, backing off while the server is out of reach.

The engine's tick is level-triggered (a non-empty outbox is sent on every call), so the timer need
not know what changed: when the network comes back, the next tick finds it and sends. Failures
double the wait (up to ``LONGEST_MS``) so a laptop offline for days does not keep retrying every
minute; a success resets it. Where the platform reports reachability (``QNetworkInformation``),
a link coming back starts a tick at once instead of waiting out the backoff.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation

from relay_app.sync.progress import SyncSummary
from relay_app.ui.sync.runner import SyncRunner

REGULAR_MS = 60_000
LONGEST_MS = 15 * 60_000
BACK_ONLINE_MS = 2_000  # let the new link settle (DHCP, captive portal) before the tick


class AutoSync(QObject):
    scheduled = Signal(int)  # milliseconds until the next tick

    def __init__(
        self, runner: SyncRunner, *, regular_ms: int = REGULAR_MS, longest_ms: int = LONGEST_MS
    ) -> None:
        super().__init__()
        self._runner = runner
        self.regular_ms = regular_ms
        self.longest_ms = longest_ms
        self.interval_ms = regular_ms
        self.failures = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        runner.finished.connect(self._succeeded)
        runner.failed.connect(self._failed)
        self.enabled = False
        self._watch_network()

    def _watch_network(self) -> None:
        if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            return  # no backend here: the backoff alone finds the link again
        information = QNetworkInformation.instance()
        if information is not None:
            information.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Online:
            self.network_back()

    def network_back(self) -> None:
        """The link is back: forget the backoff and tick soon."""
        self.failures = 0
        self.interval_ms = self.regular_ms
        self._schedule(min(BACK_ONLINE_MS, self.regular_ms))

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if on:
            self._schedule(self.interval_ms)
        else:
            self._timer.stop()

    def is_scheduled(self) -> bool:
        return self._timer.isActive()

    def _schedule(self, msecs: int) -> None:
        if self.enabled:
            self._timer.start(msecs)
            self.scheduled.emit(msecs)

    def _tick(self) -> None:
        if not self._runner.tick():
            self._schedule(self.interval_ms)  # a person's sync is running; its end reschedules

    def _succeeded(self, _summary: SyncSummary) -> None:
        self.failures = 0
        self.interval_ms = self.regular_ms
        self._schedule(self.interval_ms)

    def _failed(self, _message: str, code: str, _summary: object) -> None:
        if code == "cancelled":  # a person stopped it: no reason to wait longer next time
            self._schedule(self.interval_ms)
            return
        self.failures += 1
        self.interval_ms = min(self.longest_ms, self.regular_ms * 2**self.failures)
        self._schedule(self.interval_ms)
