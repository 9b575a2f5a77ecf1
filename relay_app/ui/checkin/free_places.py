"""The desk's notice of places free while people wait, with the button that gives them away.

A place freed on another desk (a cancellation synced in) is not given by the sync itself: two desks
that both pulled would both promote. The desk shows it and a person decides.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from relay_app.formatting import format_integer
from relay_app.i18n import ngettext
from relay_app.services.checkin import AttendanceCounts


class FreePlacesBar(QFrame):
    give_places = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.button = QPushButton()
        self.button.clicked.connect(self.give_places.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.button)
        self._places = 0
        self.hide()

    def show_counts(self, counts: AttendanceCounts | None) -> None:
        self._places = 0 if counts is None else counts.places_to_give
        self.setVisible(self._places > 0)
        if counts is not None and self._places:
            self._retranslate(counts)

    def _retranslate(self, counts: AttendanceCounts) -> None:
        free = (counts.capacity or 0) - counts.registered
        self.message.setText(
            ngettext(
                "{free} place is free; waiting list: {waiting}.",
                "{free} places are free; waiting list: {waiting}.",
                free,
            ).format(free=format_integer(free), waiting=format_integer(counts.waitlisted))
        )
        self.button.setText(
            ngettext(
                "Give the place to the first in line",
                "Give the {count} places to the first in line",
                self._places,
            ).format(count=format_integer(self._places))
        )
