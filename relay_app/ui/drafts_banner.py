"""Offers, at start, the drafts left by a session that ended without saving (crash, power cut)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from relay_app.i18n import _, ngettext
from relay_app.services.drafts import Draft, DraftStore
from relay_app.ui.dialogs import confirm_discard_drafts
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal


class DraftsBanner(QFrame):
    restore_requested = Signal(object)  # the Draft to open

    def __init__(self, drafts: DraftStore) -> None:
        super().__init__()
        self._store = drafts
        self._pending: list[Draft] = []
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.icon = QLabel()
        self.icon.setPixmap(icon("draft").pixmap(20, 20))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.restore_button = QPushButton()
        self.discard_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.addWidget(self.icon)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)
        self.restore_button.clicked.connect(self.restore_next)
        self.discard_button.clicked.connect(lambda _checked=False: self.discard_all())
        language_signal().changed.connect(self.retranslate_ui)
        self.hide()

    def offer(self, drafts: list[Draft]) -> None:
        self._pending = list(drafts)
        self.retranslate_ui()
        self.setVisible(bool(self._pending))

    @property
    def pending(self) -> list[Draft]:
        return list(self._pending)

    def restore_next(self) -> None:
        if self._pending:
            draft = self._pending.pop(0)
            self.restore_requested.emit(draft)
        self.offer(self._pending)

    def discard_all(self, confirm: bool = True) -> None:
        """Delete the offered drafts for good, once the person said so: no undo brings them back."""
        if not self._pending:
            return
        if confirm and not confirm_discard_drafts(self, len(self._pending)):
            return
        for draft in self._pending:
            self._store.discard(draft.key)
        self.offer([])

    def retranslate_ui(self) -> None:
        count = len(self._pending)
        self.message.setText(
            ngettext(
                "Unsaved work from an earlier session was found ({count} draft).",
                "Unsaved work from an earlier session was found ({count} drafts).",
                count,
            ).format(count=count)
        )
        self.restore_button.setText(_("Restore"))
        self.restore_button.setToolTip(_("Open the oldest draft in its editor"))
        self.discard_button.setText(_("Discard drafts"))
