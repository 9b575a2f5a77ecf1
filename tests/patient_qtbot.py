"""qtbot with waits sized for a slow, busy machine (the CI's), not for a developer's.

pytest-qt gives a wait that names no timeout 5 s. A window opening, a worker's query or a sync
tick can take longer than that on a machine shared by several test runs, and the test then fails
for a reason that is not the product's. Every wait returns as soon as its condition holds, so a
longer limit costs a passing run nothing; it only changes how long a real failure takes to be
reported. A test whose timeout is part of what it checks still names its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

WAIT_MS = 20_000


class PatientQtBot(QtBot):
    """``QtBot`` whose waits allow ``WAIT_MS`` when the test names no timeout."""

    def waitUntil(self, callback: Callable[[], bool | None], *, timeout: int = WAIT_MS) -> None:
        super().waitUntil(callback, timeout=timeout)

    def waitSignal(self, signal: Any, *, timeout: int = WAIT_MS, **options: Any) -> Any:
        return super().waitSignal(signal, timeout=timeout, **options)

    def waitSignals(self, signals: Any, *, timeout: int = WAIT_MS, **options: Any) -> Any:
        return super().waitSignals(signals, timeout=timeout, **options)

    def waitExposed(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:
        return super().waitExposed(widget, timeout=timeout)

    def waitActive(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:
        return super().waitActive(widget, timeout=timeout)

    def waitCallback(self, *, timeout: int = WAIT_MS, raising: bool | None = None) -> Any:
        return super().waitCallback(timeout=timeout, raising=raising)
