"""What the desk does to people: check in (by name or badge), undo, give free places away.

Each is a write on the database thread through ``Operation`` (check-ins are scans appended to the
check-in log, an undo a cancelling scan), announced on ``DataChanges`` so the status bar and the
outbox follow. A refusal beeps: at a busy door it must be heard, not only read.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from relay_app.formatting import format_datetime
from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.checkin import CHECKINS, Attendee
from relay_app.ui.changes import DataChanges
from relay_app.ui.checkin.head_count import HeadCount
from relay_app.ui.checkin.participant_list import ParticipantList
from relay_app.ui.operations import Operation
from relay_app.ui.toast import Toast


class CheckInActions(QObject):
    """Check-ins made at this desk, with the list of them that Ctrl+Z walks back."""

    checked_in = Signal(str)  # a registration id, once its check-in is stored
    check_in_undone = Signal(str)
    undo_changed = Signal()  # a check-in joined or left the undo list

    def __init__(
        self, parent: QWidget, services: Services, participants: ParticipantList,
        head_count: HeadCount, toast: Toast, changes: DataChanges, forum_id: Callable[[], str | None],
        recount: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._service = services.check_ins
        self._participants = participants
        self._head_count = head_count
        self._toast = toast
        self._changes = changes
        self._forum_id = forum_id
        self._recount = recount
        self._checked_here: list[str] = []  # this desk's check-ins, latest last, for Ctrl+Z
        self.announcing = False  # True while the desk tells others of its own scan

    def can_undo(self) -> bool:
        return bool(self._checked_here)

    def forget_undo(self) -> None:
        """Another forum was chosen: Ctrl+Z never reaches into another forum's desk."""
        self._checked_here.clear()

    # -- checking in ------------------------------------------------------------------------------

    def check_in_selected(self) -> Operation | None:
        person = self._participants.selected()
        if person is None:
            self._toast.show_message(_("Nobody is selected: type a few letters of a name."))
            return None
        return self._check_in(person)

    def check_in_scanned(self) -> Operation | None:
        """The search box holds a badge's code (a scanner typed it): check its owner in.

        Never by searching: the code stands for one registration or for nobody.
        """
        person = self._participants.scanned_attendee()
        if person is None:
            QApplication.beep()
            self._toast.show_message(
                _("Badge {code} is not known on this computer: sync, or find the person by name.")
                .format(code=self._participants.search.text().strip())
            )
            self._participants.ready_for_next()
            return None
        if person.forum_id != self._forum_id():
            QApplication.beep()
            self._toast.show_message(
                _("{name}'s badge is for another forum: not checked in.").format(name=person.name)
            )
            self._participants.ready_for_next()
            return None
        return self._check_in(person)

    def _check_in(self, person: Attendee) -> Operation | None:
        if person.checked_in_at is not None:
            self._toast.show_message(
                _("{name} is already checked in ({time}).").format(
                    name=person.name, time=format_datetime(person.checked_in_at, "short")
                )
            )
            self._participants.ready_for_next()  # a second scan of the same badge
            return None
        service = self._service

        def done(arrived: Attendee) -> None:
            if arrived.id not in self._checked_here[-1:]:  # Enter pressed twice: one undo step
                self._checked_here.append(arrived.id)
                self.undo_changed.emit()
            self._show_arrival(person, arrived)
            self._participants.select(arrived.id)
            self._toast.show_message(
                _("Checked in: {name}").format(name=arrived.name), _("Undo"), self.undo_last
            )
            self._participants.ready_for_next()  # the next name typed replaces this one
            self.checked_in.emit(arrived.id)

        return (
            Operation(self._parent, lambda _progress: service.check_in(person.id))
            .success(done)
            .failure(self._failed)
            .run()
        )

    def _show_arrival(self, before: Attendee, arrived: Attendee) -> None:
        """Update the row and the head-count from the scan just written, then tell the other views.

        Re-reading the forum after each scan would cost more than the scan itself at a busy door; the
        desk's own notice is skipped, and any other change (a sync, another window) recounts.
        """
        self._participants.model.replace_row(arrived)
        self._head_count.count_arrival(before, arrived)
        self.announcing = True
        try:
            self._changes.records_changed.emit(CHECKINS)
        finally:
            self.announcing = False

    def undo_last(self) -> Operation | None:
        if not self._checked_here:
            self._toast.show_message(_("No check-in to undo at this desk."))
            return None
        registration_id = self._checked_here.pop()
        service = self._service

        def undone(person: Attendee) -> None:
            self._changes.records_changed.emit(CHECKINS)
            self._participants.select(person.id)
            self._toast.show_message(_("Check-in undone: {name}").format(name=person.name))
            self.check_in_undone.emit(person.id)

        self.undo_changed.emit()
        return (
            Operation(self._parent, lambda _progress: service.undo_check_in(registration_id))
            .success(undone)
            .failure(self._failed)
            .run()
        )

    # -- the waiting list -------------------------------------------------------------------------

    def give_free_places(self) -> Operation | None:
        forum_id = self._forum_id()
        if forum_id is None:
            return None
        service = self._service

        def given(promoted: list[Attendee]) -> None:
            self._changes.records_changed.emit("registrations")  # the desk recounts with the others
            names = ", ".join(person.name for person in promoted)
            self._toast.show_message(
                _("Off the waiting list: {names}").format(names=names) if promoted
                else _("Nobody is waiting any more.")
            )

        return (
            Operation(self._parent, lambda _progress: service.give_free_places(forum_id))
            .success(given)
            .failure(self._failed)
            .run()
        )

    def _failed(self, error: BaseException) -> None:
        self._recount()
        QApplication.beep()  # a refused scan must be noticed at a busy door
        self._participants.ready_for_next()
        self._toast.show_message(_("Not checked in: {reason}").format(reason=str(error)))
