"""Run the real ``run_app`` start-up inside a test, driven by a script of steps.

``run_app`` blocks in ``app.exec()`` until its last window closes, as it does for a person. The
script is a generator run on a timer inside that event loop: each ``yield`` hands back a condition
(a function returning a true value once met) to wait for before the next step; the value is sent
back in. A message box a step opens (with its own event loop) is answered by ``answer_next_dialog``.
A step that fails, or a condition not met within ``STEP_SECONDS``, closes every window so
``run_app`` returns, and the failure is raised from ``drive_app``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from relay_app.config import Paths
from relay_app.ui.app import run_app
from relay_app.ui.main_window import MainWindow

STEP_SECONDS = 20
Script = Generator[Callable[[], Any], Any, None]


def shown_window() -> MainWindow | None:
    """The visible main window, once ``run_app`` has shown it."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def modal_of(kind: type[QWidget]) -> Callable[[], QWidget | None]:
    """A condition: the active modal widget, once it is a ``kind``."""

    def found() -> QWidget | None:
        widget = QApplication.activeModalWidget()
        return widget if isinstance(widget, kind) and widget.isVisible() else None

    return found


def drive_app(paths: Paths, script: Callable[[], Script]) -> int:
    """``run_app(paths)`` with ``script`` acting inside it; returns run_app's exit code."""
    steps = script()
    failure: list[BaseException] = []
    started = [False]
    waiting: list[Callable[[], Any]] = [shown_window]  # the script starts once the window shows
    deadline = [time.monotonic() + STEP_SECONDS]
    timer = QTimer()
    timer.setInterval(20)

    def give_up(error: BaseException) -> None:
        failure.append(error)
        timer.stop()
        for widget in QApplication.topLevelWidgets():
            widget.close()

    def advance(value: Any) -> None:
        deadline[0] = time.monotonic() + STEP_SECONDS
        try:
            waiting[:] = [steps.send(value if started[0] else None)]
        except StopIteration:
            waiting.clear()
        started[0] = True

    busy = [False]

    def poll() -> None:
        if busy[0]:  # a step opened a dialog with its own event loop; answer it with a timer
            return
        busy[0] = True
        try:
            if waiting:
                value = waiting[0]()
                if value:
                    advance(value)
                    return
            if time.monotonic() > deadline[0]:
                what = waiting[0] if waiting else "run_app to return once the script ended"
                raise AssertionError(f"still waiting for {what!r}")
        except BaseException as error:  # any failure must still let run_app return
            give_up(error)
        finally:
            busy[0] = False

    timer.timeout.connect(poll)
    timer.start()
    try:
        code = run_app(paths, argv=[])
    finally:
        timer.stop()
    if failure:
        raise failure[0]
    return code
