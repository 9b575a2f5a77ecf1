"""A scroll area for forms and pages: it scrolls down, never sideways.

Its minimum width is its content's minimum width (plus the vertical scroll bar), so a splitter or
a small window can never squeeze a form until its buttons are cut off; its minimum height is
small, so a tall form never makes the window taller than a small or scaled screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QWidget


class FormScrollArea(QScrollArea):
    MINIMUM_HEIGHT = 120  # a few fields stay in sight however small the window

    def __init__(self, content: QWidget, *, framed: bool = True) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, which scroll in
        if not framed:
            self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 0
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return QSize(width + bar + 2 * self.frameWidth(), self.MINIMUM_HEIGHT)
