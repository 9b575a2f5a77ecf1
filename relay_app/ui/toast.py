"""A short-lived message at the bottom of a panel, with an optional action such as Undo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from relay_app.i18n import _
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal


class Toast(QFrame):
    DURATION_MS = 10000

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = QLabel()
        self.action = QPushButton(icon("undo"), "")
        self.close_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.close_button.clicked.connect(self.hide)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        self.close_button.setText(_("Dismiss"))

    def show_message(
        self, text: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        self.message.setText(text)
        self.action.setVisible(action is not None)
        self.action.setText(action or "")
        self._callback = callback
        self.show()
        self._timer.start(self.DURATION_MS)

    def _act(self) -> None:
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()
