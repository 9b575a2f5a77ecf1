"""Long work off the GUI thread: results by signal, a late progress dialog, a Cancel that writes
nothing."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from relay_app.ui.operations import PROGRESS_DELAY_MS, Cancelled, Operation
from tests import factories


def _partners_csv(path: Path, count: int) -> Path:
    fields = list(factories.partner())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for number in range(count):
            row = factories.partner(name=f"Partner {number}")
            row["languages"] = ";".join(row["languages"])
            writer.writerow(row)
    return path


def test_work_runs_off_the_gui_thread_and_reports_by_signal(qtbot: QtBot) -> None:
    seen: dict[str, Any] = {}

    def work(_progress: Any) -> str:
        seen["thread"] = threading.current_thread()
        return "done"

    Operation(None, work).success(lambda result: seen.update(result=result)).run()
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == "done"
    assert seen["thread"] is not threading.main_thread()


class _ShownAt(QObject):
    """Notes the moment a widget is shown, whatever moment the test looks at it."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.at is None:
            self.at = time.monotonic()
        return False


def test_progress_dialog_shows_only_after_the_delay_and_cancel_stops_the_work(qtbot: QtBot) -> None:
    outcome: dict[str, Any] = {}
    finished_work: list[float] = []

    def work(progress: Any) -> int:
        for step in range(200):
            progress(step, 200)
            time.sleep(0.02)
        finished_work.append(time.monotonic())
        return 200

    started = time.monotonic()
    operation = (
        Operation(None, work)
        .with_progress("Counting…")
        .success(lambda result: outcome.update(result=result))
        .failure(lambda error: outcome.update(error=error))
        .run()
    )
    dialog = operation.progress_dialog
    assert dialog is not None
    shown = _ShownAt()
    dialog.installEventFilter(shown)
    # When it showed is measured, not sampled at one moment: a busy machine may wake the test
    # late, never the dialog early (but for the 5 % a coarse Qt timer may fire early). It shows
    # while the work still runs: 4 s of it, more on a slow machine.
    qtbot.waitUntil(dialog.isVisible)
    assert shown.at is not None and shown.at - started >= 0.95 * PROGRESS_DELAY_MS / 1000
    qtbot.waitUntil(lambda: dialog.value() > 0)  # the work's progress reaches it
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    qtbot.waitUntil(lambda: outcome != {})
    assert isinstance(outcome.get("error"), Cancelled)
    assert "result" not in outcome and not finished_work
