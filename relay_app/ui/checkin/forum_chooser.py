"""The desk's forum picker: forums running now and coming soon first, each with its dates."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from relay_app.formatting import format_date
from relay_app.i18n import _
from relay_app.services.checkin import CheckInService, ForumChoice


def forum_label(forum: ForumChoice) -> str:
    if forum.start_date is None or forum.end_date is None:
        return forum.name
    if forum.start_date == forum.end_date:
        day = format_date(forum.start_date, "medium")
        return _("{name} ({date})").format(name=forum.name, date=day)
    return _("{name} ({start} – {end})").format(
        name=forum.name,
        start=format_date(forum.start_date, "medium"),
        end=format_date(forum.end_date, "medium"),
    )


class ForumChooser(QComboBox):
    forum_changed = Signal()  # the chosen forum is another one (or none is left)

    def __init__(self, service: CheckInService) -> None:
        super().__init__()
        self._service = service
        self._forums: list[ForumChoice] = []
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(20)
        self.currentIndexChanged.connect(lambda _index: self.forum_changed.emit())

    def current_id(self) -> str | None:
        value = self.currentData()
        return str(value) if value else None

    def current_name(self) -> str:
        index = self.currentIndex()
        return self._forums[index].name if 0 <= index < len(self._forums) else ""

    def choose(self, forum_id: str) -> bool:
        index = self.findData(forum_id)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

    def reload(self) -> None:
        """Read the forums again, keeping the chosen one while it exists."""
        kept = self.current_id()
        self._forums = self._service.forums()
        self.blockSignals(True)
        self.clear()
        for forum in self._forums:
            self.addItem(forum_label(forum), forum.id)
        index = self.findData(kept) if kept else -1
        self.setCurrentIndex(index if index >= 0 else (0 if self._forums else -1))
        self.blockSignals(False)
        if self.current_id() != kept:
            self.forum_changed.emit()

    def retranslate_ui(self) -> None:
        for index, forum in enumerate(self._forums):
            self.setItemText(index, forum_label(forum))
