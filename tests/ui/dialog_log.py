"""Watch for message boxes during one test: note what each said and its default, then answer it.

Unlike a one-shot answer, the watch ends with its ``with`` block (``watching_dialogs``), so a
watch that saw nothing never answers a dialog of the next test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMessageBox,
    QPushButton,
    QWidget,
)


@dataclass(frozen=True)
class SeenDialog:
    text: str
    default: str  # the text of the button Enter presses, "" when none


def default_button(dialog: QWidget) -> QPushButton | None:
    """The button Enter presses: the dialog's default, else the focused auto-default button."""
    buttons = dialog.findChildren(QPushButton)
    chosen = next((button for button in buttons if button.isDefault()), None)
    focused = QApplication.focusWidget()
    if chosen is None and isinstance(focused, QPushButton) and focused in buttons:
        chosen = focused if focused.autoDefault() else None
    return chosen


class DialogLog:
    """Every message box shown while it runs; answered with ``answer``, else its escape."""

    def __init__(self) -> None:
        self.seen: list[SeenDialog] = []
        self.answer: str | None = None
        self._handled: list[QWidget] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def texts(self) -> list[str]:
        return [dialog.text for dialog in self.seen]

    def stop(self) -> None:
        self._timer.stop()

    def _look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QMessageBox):
            return  # a progress dialog or the walk-in: tests look at those themselves
        if any(dialog is handled for handled in self._handled):
            return
        self._handled.append(dialog)
        button = default_button(dialog)
        text = dialog.text()
        self.seen.append(SeenDialog(text, button.text().replace("&", "") if button else ""))
        if self.answer is not None:
            for candidate in dialog.findChildren(QAbstractButton):
                if candidate.text().replace("&", "") == self.answer:
                    candidate.click()
                    return
            raise AssertionError(f"no button {self.answer!r} in the dialog {text!r}")
        escape = dialog.escapeButton()
        if escape is not None:
            escape.click()
        else:
            dialog.reject()


@contextmanager
def watching_dialogs(answer: str | None = None) -> Iterator[DialogLog]:
    """A ``DialogLog`` for the ``with`` block; it stops watching at the block's end."""
    log = DialogLog()
    log.answer = answer
    try:
        yield log
    finally:
        log.stop()
