"""Fixtures for the UI tests: a main window over a fresh data dir, and a way to answer dialogs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from relay_app.ui.operations import wait_for_writer
from tests.patient_qtbot import WAIT_MS


@pytest.fixture
def make_window(services: Services, qtbot: QtBot) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        # Closed here rather than by qtbot.addWidget, whose own close would come first and ask
        # about the unsaved editors a failed test may leave behind.
        window = MainWindow(services)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    wait_for_writer()
    for window in windows:
        for panel in window.panels.values():
            panel.editor.discard()  # tests leave editors open: no question at close
        window.close()
        window.deleteLater()


@pytest.fixture
def window(make_window: Callable[[], MainWindow]) -> MainWindow:
    return make_window()


# Bumped as each test ends: an answer still waiting then was for a dialog that never came, and
# must not click one of the next test's.
_test_generation = [0]


@pytest.fixture(autouse=True)
def _answers_end_with_their_test() -> Iterator[None]:
    yield
    _test_generation[0] += 1


def answer_next_dialog(button_text: str, *, with_details: bool = False) -> list[str]:
    """Click ``button_text`` in the next modal message box; returns what the box said.

    ``with_details`` adds the box's informative text, after a line break, to what it said. The
    box may come from a worker's answer, late on a busy machine: the answer waits for it until
    the test ends (or ``WAIT_MS``), however few timer ticks that time allows.
    """
    seen: list[str] = []
    generation = _test_generation[0]
    deadline = time.monotonic() + WAIT_MS / 1000

    def click() -> None:
        if _test_generation[0] != generation or time.monotonic() > deadline:
            return
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}" if with_details else box.text())
        for button in box.findChildren(QAbstractButton):
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)
    return seen


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` key by key; QTest only knows ASCII keys, so accents go as text events."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )
