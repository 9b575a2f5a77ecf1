"""Inputs in a form that a passing mouse wheel scrolls past: the form moves, not the value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget


class FormComboBox(QComboBox):
    """A combo box that takes the wheel only once it has the focus (a click, or Tab).

    Qt's combo box takes focus from a wheel turn and changes with it, so scrolling down a long
    form over College changed the college. Here the wheel goes on to the form behind.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no focus from a passing wheel
        # As narrow as a dozen letters, so the longest label never widens the form (and the
        # window); the list opens as wide as its labels.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # Qt hands it to the parents: the form scrolls


class FormSpinBox(QSpinBox):
    """A number box that, like ``FormComboBox``, takes the wheel only once it has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
