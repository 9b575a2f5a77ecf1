"""The check-in desk of a forum: type a few letters, press Enter, the participant is in.

This module assembles the desk and decides when it reads again; each part does one job:
``ParticipantList`` finds people, ``HeadCount`` shows arrivals against capacity,
``CheckInActions`` checks in and undoes, ``WalkIns`` registers newcomers, ``AttendanceExport`` and
``DeskDocuments`` write files, and ``DeskKeys`` gives the desk its keyboard. What the desk shows as
"checked in", and the head-count, come from the check-in log and the waiting-list rules of the
services.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.checkin import CHECKINS, Attendee
from relay_app.services.drafts import DraftStore
from relay_app.ui.changes import DataChanges
from relay_app.ui.checkin.attendance_file import AttendanceExport
from relay_app.ui.checkin.check_in_actions import CheckInActions
from relay_app.ui.checkin.desk_keys import DeskKeys
from relay_app.ui.checkin.documents import DeskDocuments
from relay_app.ui.checkin.forum_chooser import ForumChooser
from relay_app.ui.checkin.head_count import HeadCount
from relay_app.ui.checkin.participant_list import ParticipantList
from relay_app.ui.checkin.walk_in import WalkInDialog, WalkIns
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.toast import Toast


class CheckInDesk(QWidget):
    """Forum chooser, search, the participants, and the counter of those who arrived."""

    checked_in = Signal(str)  # a registration id, once its check-in is stored
    check_in_undone = Signal(str)

    def __init__(self, services: Services, drafts: DraftStore, changes: DataChanges) -> None:
        super().__init__()
        self._service = services.check_ins
        self.forum = ForumChooser(self._service)
        self._forum_label = QLabel()
        self._forum_label.setBuddy(self.forum)
        self.head_count = HeadCount()
        self.participants = ParticipantList(services)
        self.toast = Toast()
        tell = self.toast.show_message
        self.check_in_actions = CheckInActions(
            self, services, self.participants, self.head_count, self.toast, changes,
            self.forum_id, lambda: self.refresh(counts=True),
        )
        self.walk_ins = WalkIns(self, services, drafts, self.participants, changes, tell)
        self.attendance = AttendanceExport(self, services, tell)
        self.documents = DeskDocuments(self, services, tell)
        # The parts' widgets, reached through the desk by the window and the tests.
        self.counter, self.capacity = self.head_count.counter, self.head_count.capacity
        self.over_capacity, self.free_places = self.head_count.over_capacity, self.head_count.free_places
        self.search, self.more_hint = self.participants.search, self.participants.more_hint
        self.model, self.table = self.participants.model, self.participants.table

        self.check_in_button = QPushButton(icon("save"), "")
        self.undo_button = QPushButton(icon("undo"), "")
        self.walk_in_button = QPushButton(icon("new"), "")
        self.export_button = QPushButton(icon("export"), "")
        self.badges_button = QPushButton("")
        self.lists_button = QPushButton("")
        self._lay_out()

        self.table.doubleClicked.connect(lambda _index: self.check_in_selected())
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.undo_button.clicked.connect(self.undo_last)
        self.walk_in_button.clicked.connect(self.walk_in)
        self.export_button.clicked.connect(lambda: self.export_attendance())
        self.badges_button.clicked.connect(lambda: self._with_forum(self.documents.print_badges))
        self.lists_button.clicked.connect(lambda: self._with_forum(self.documents.export_list))
        self.free_places.give_places.connect(self.give_free_places)
        self.check_in_actions.checked_in.connect(self.checked_in)
        self.check_in_actions.check_in_undone.connect(self.check_in_undone)
        self.check_in_actions.undo_changed.connect(self._update_buttons)
        self.keys = DeskKeys(self)
        self.search.textChanged.connect(lambda _text: self.refresh(keep_selection=False))
        self.forum.forum_changed.connect(self._forum_changed)
        changes.records_changed.connect(self._records_changed)
        language_signal().changed.connect(self._language_changed)
        self.forum.reload()
        self._forum_changed()
        self.retranslate_ui()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self._forum_label)
        top.addWidget(self.forum, 1)
        top.addWidget(self.capacity)
        top.addWidget(self.counter)
        # Check in sits by the search box it acts on; the rarer actions wait below the list.
        search_row = QHBoxLayout()
        search_row.addWidget(self.participants.search_label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.check_in_button)
        search_row.addWidget(self.undo_button)
        buttons = QHBoxLayout()
        for button in (self.walk_in_button, self.export_button, self.badges_button, self.lists_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.over_capacity)
        layout.addWidget(self.free_places)
        layout.addLayout(search_row)
        layout.addWidget(self.more_hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.toast)

    # -- reading ----------------------------------------------------------------------------------

    def forum_id(self) -> str | None:
        return self.forum.current_id()

    def refresh(self, *, keep_selection: bool = True, counts: bool = False) -> None:
        """Read the forum's participants again (and, with ``counts``, the counter)."""
        forum_id = self.forum_id()
        self.participants.load(forum_id, keep_selection=keep_selection)
        if counts:
            self.head_count.show_counts(None if forum_id is None else self._service.counts(forum_id))
        self._update_buttons()

    def _forum_changed(self) -> None:
        self.check_in_actions.forget_undo()
        self.refresh(keep_selection=False, counts=True)

    def _records_changed(self, kind: str) -> None:
        if self.check_in_actions.announcing:
            return  # the desk's own scan, already shown
        if kind == "forums":
            self.forum.reload()  # emits forum_changed when the chosen forum went away
            self.refresh(counts=True)
        elif kind in ("registrations", CHECKINS):
            self.refresh(counts=True)

    def _update_buttons(self) -> None:
        has_forum = self.forum_id() is not None
        self.check_in_button.setEnabled(self.selected() is not None)
        self.undo_button.setEnabled(self.check_in_actions.can_undo())
        for button in (self.walk_in_button, self.export_button, self.badges_button, self.lists_button):
            button.setEnabled(has_forum)

    def selected_id(self) -> str | None:
        return self.participants.selected_id()

    def selected(self) -> Attendee | None:
        return self.participants.selected()

    def select(self, registration_id: str) -> bool:
        return self.participants.select(registration_id)

    def focus_search(self) -> None:
        self.participants.focus_search()

    # -- actions ----------------------------------------------------------------------------------

    def check_in_selected(self) -> Operation | None:
        return self.check_in_actions.check_in_selected()

    def check_in_scanned(self) -> Operation | None:
        return self.check_in_actions.check_in_scanned()

    def undo_last(self) -> Operation | None:
        return self.check_in_actions.undo_last()

    def give_free_places(self) -> Operation | None:
        return self.check_in_actions.give_free_places()

    def walk_in(self) -> WalkInDialog | None:
        """Open the registration editor for a new participant of the chosen forum."""
        forum_id = self.forum_id()
        return None if forum_id is None else self.walk_ins.start(forum_id)

    @property
    def _walk_in(self) -> WalkInDialog | None:
        return self.walk_ins.dialog  # None until the first walk-in

    def export_attendance(self, path: Path | None = None) -> Operation | None:
        """Write the chosen forum's registrations, check-ins included, as CSV or XLSX."""
        forum_id = self.forum_id()
        if forum_id is None:
            return None
        return self.attendance.export(forum_id, self.forum.current_name(), path)

    def _with_forum(self, action: Callable[[str], object]) -> None:
        forum_id = self.forum_id()
        if forum_id is not None:
            action(forum_id)

    # -- showing and language ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.forum.reload()  # cheap, and catches forums that arrived while the desk was hidden
        self.refresh(counts=True)
        QTimer.singleShot(0, self.focus_search)  # after the window has placed its own focus

    def _language_changed(self, _language: str) -> None:
        self.forum.retranslate_ui()
        self.model.retranslate_ui()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._forum_label.setText(_("Fo&rum:"))
        self.forum.setAccessibleName(_("Forum"))
        self.participants.retranslate_ui()
        self.check_in_button.setText(_("Check in (Enter)"))
        self.check_in_button.setToolTip(_("Check in the selected participant (Enter or Space)"))
        self.undo_button.setText(_("Undo check-in (Ctrl+Z)"))
        self.undo_button.setToolTip(
            _("Undo the last check-in made at this desk (a cancelling scan, kept in the log)")
        )
        self.walk_in_button.setText(_("Walk-in registration…"))
        self.walk_in_button.setToolTip(_("Register someone who is not on the list (Ctrl+N)"))
        self.export_button.setText(_("Export attendance…"))
        self.export_button.setToolTip(
            _("Write this forum's registrations and check-ins to a CSV or XLSX file (Ctrl+E)")
        )
        self.badges_button.setText(_("Badges…"))
        self.badges_button.setToolTip(_("Print name badges with a QR code to scan at the door"))
        self.lists_button.setText(_("Lists…"))
        self.lists_button.setToolTip(
            _("Participant list, attendance sheet, counts or travel-support requests as PDF, CSV or XLSX")
        )
        self.head_count.retranslate_ui()
