"""The check-in desk of a forum: type a few letters, press Enter, the participant is in.

Reads (the forum's registrations, a few thousand at most) run on the GUI thread like the record
lists; check-ins (scans appended to the check-in log), their undo (a cancelling scan) and the
export go through ``Operation`` to the database thread and are announced on ``DataChanges``, so
the status bar and the outbox follow. What the desk shows as "checked in", and the head-count
against capacity, come from the log and the waiting-list rules of the services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from relay_app.formatting import format_datetime, format_integer
from relay_app.i18n import _, ngettext
from relay_app.services import Services
from relay_app.services.badges import is_badge_payload, registration_for_scan
from relay_app.services.checkin import CHECKINS, REGISTERED, WAITLISTED, AttendanceCounts, Attendee
from relay_app.services.drafts import DraftStore
from relay_app.ui.changes import DataChanges
from relay_app.ui.checkin.attendance_file import ask_attendance_path
from relay_app.ui.checkin.attendees_model import AttendeesModel
from relay_app.ui.checkin.documents import DeskDocuments
from relay_app.ui.checkin.forum_chooser import ForumChooser
from relay_app.ui.checkin.free_places import FreePlacesBar
from relay_app.ui.checkin.walk_in import WalkInDialog
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation
from relay_app.ui.toast import Toast

# Rows a search shows at most: enough to scroll, few enough to answer each key at once.
SEARCH_ROWS = 200


class CheckInDesk(QWidget):
    """Forum chooser, search, the participants, and the counter of those who arrived."""

    checked_in = Signal(str)  # a registration id, once its check-in is stored
    check_in_undone = Signal(str)

    def __init__(self, services: Services, drafts: DraftStore, changes: DataChanges) -> None:
        super().__init__()
        self._services = services
        self._service = services.check_ins
        self._drafts = drafts
        self._changes = changes
        self._checked_here: list[str] = []  # this desk's check-ins, latest last, for Ctrl+Z
        self._counts: AttendanceCounts | None = None
        self._own_notice = False  # True while the desk tells others of its own scan
        self._walk_in: WalkInDialog | None = None

        self.forum = ForumChooser(self._service)
        self._forum_label = QLabel()
        self._forum_label.setBuddy(self.forum)
        self.counter = QLabel()
        self.counter.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.capacity = QLabel()
        # Shown only when the forum holds more registered people than places (two desks gave
        # the same place away offline): says by how many, and who came in last.
        self.over_capacity = QLabel()
        self.over_capacity.setWordWrap(True)
        self.over_capacity.setStyleSheet("color: #b00020; font-weight: bold;")
        self.over_capacity.hide()
        self.free_places = FreePlacesBar()
        self.free_places.give_places.connect(self.give_free_places)
        self.search = QLineEdit()
        self.more_hint = QLabel()
        self.more_hint.setVisible(False)
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        self.model = AttendeesModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 240)
        self.table.setColumnWidth(1, 260)
        self.table.doubleClicked.connect(lambda _index: self.check_in_selected())
        self.check_in_button = QPushButton(icon("save"), "")
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.undo_button = QPushButton(icon("undo"), "")
        self.undo_button.clicked.connect(self.undo_last)
        self.walk_in_button = QPushButton(icon("new"), "")
        self.walk_in_button.clicked.connect(self.walk_in)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(lambda: self.export_attendance())
        self.documents = DeskDocuments(self, services, lambda message: self.toast.show_message(message))
        self.badges_button = QPushButton("")
        self.badges_button.clicked.connect(lambda: self._with_forum(self.documents.print_badges))
        self.lists_button = QPushButton("")
        self.lists_button.clicked.connect(lambda: self._with_forum(self.documents.export_list))
        self.toast = Toast()

        top = QHBoxLayout()
        top.addWidget(self._forum_label)
        top.addWidget(self.forum, 1)
        top.addWidget(self.capacity)
        top.addWidget(self.counter)
        # Check in sits by the search box it acts on; the rarer actions wait below the list.
        search_row = QHBoxLayout()
        search_row.addWidget(self._search_label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.check_in_button)
        search_row.addWidget(self.undo_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.walk_in_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.badges_button)
        buttons.addWidget(self.lists_button)
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

        for widget in (self.search, self.table, self.forum):
            widget.installEventFilter(self)
        self.search.textChanged.connect(lambda _text: self.refresh(keep_selection=False))
        self.forum.forum_changed.connect(self._forum_changed)
        changes.records_changed.connect(self._records_changed)
        language_signal().changed.connect(self._language_changed)
        self.forum.reload()
        self._forum_changed()
        self.retranslate_ui()

    # -- reading ----------------------------------------------------------------------------------

    def forum_id(self) -> str | None:
        return self.forum.current_id()

    def refresh(self, *, keep_selection: bool = True, counts: bool = False) -> None:
        """Read the forum's participants again (and, with ``counts``, the counter)."""
        selected = self.selected_id() if keep_selection else None
        forum_id = self.forum_id()
        typed = self.search.text()
        rows = (
            [] if forum_id is None
            else self._service.attendees(forum_id, typed, limit=SEARCH_ROWS if typed.strip() else None)
        )
        # One or two letters can match half a forum: the best matches are shown, and a line says so.
        self.more_hint.setVisible(bool(typed.strip()) and len(rows) >= SEARCH_ROWS)
        if not rows and forum_id is not None and is_badge_payload(self.search.text()):
            scanned = self._scanned_attendee()  # a badge's code: show whose it is
            rows = [scanned] if scanned is not None and scanned.forum_id == forum_id else []
        self.model.set_rows(rows)
        if not (selected is not None and self.select(selected)) and rows:
            self.table.selectRow(0)  # Enter checks in the best match without reaching for arrows
        if counts:
            self._counts = None if forum_id is None else self._service.counts(forum_id)
            self.badges_button.setText(_("Badges…"))
        self.badges_button.setToolTip(_("Print name badges with a QR code to scan at the door"))
        self.lists_button.setText(_("Lists…"))
        self.lists_button.setToolTip(
            _("Participant list, attendance sheet, counts or travel-support requests as PDF, CSV or XLSX")
        )
        self._update_counter()
        self._update_buttons()

    def selected_id(self) -> str | None:
        person = self.selected()
        return person.id if person is not None else None

    def selected(self) -> Attendee | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.attendee(rows[0].row()) if rows else None

    def select(self, registration_id: str) -> bool:
        row = self.model.row_of(registration_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _move_selection(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        target = rows[0].row() + step if rows else 0
        if 0 <= target < self.model.rowCount():
            self.table.selectRow(target)
            self.table.scrollTo(self.model.index(target, 0))

    def _forum_changed(self) -> None:
        self._checked_here.clear()  # Ctrl+Z never reaches into another forum's desk
        self.refresh(keep_selection=False, counts=True)

    def _records_changed(self, kind: str) -> None:
        if self._own_notice:
            return  # already shown by ``_show_arrival``
        if kind == "forums":
            self.forum.reload()  # emits forum_changed when the chosen forum went away
            self.refresh(counts=True)
        elif kind in ("registrations", CHECKINS):
            self.refresh(counts=True)

    def _update_counter(self) -> None:
        counts = self._counts
        if counts is None:
            self.counter.setText("")
            self.capacity.setText("")
            self.free_places.show_counts(None)
            return
        if counts.waitlisted:
            counter = ngettext(
                "{checked} of {total} checked in · {waiting} waiting",
                "{checked} of {total} checked in · {waiting} waiting",
                counts.checked_in,  # the words that agree with a number agree with the arrivals
            )
        else:
            counter = ngettext(
                "{checked} of {total} checked in", "{checked} of {total} checked in",
                counts.checked_in,
            )
        self.counter.setText(
            counter.format(
                checked=format_integer(counts.checked_in), total=format_integer(counts.registered),
                waiting=format_integer(counts.waitlisted),
            )
        )
        self.capacity.setText(
            "" if counts.capacity is None
            else _("Capacity: {capacity}").format(capacity=format_integer(counts.capacity))
        )
        waiting = ngettext(
            "{count} on the waiting list", "{count} on the waiting list", counts.waitlisted
        ).format(count=format_integer(counts.waitlisted))
        self.counter.setToolTip(waiting)
        if counts.over_capacity:
            self.over_capacity.setText(
                _(
                    "Over capacity: {registered} registered for a capacity of {capacity} "
                    "(over by {count}). Registered last: {names}"
                ).format(
                    count=format_integer(counts.over_capacity),
                    registered=format_integer(counts.registered),
                    capacity=format_integer(counts.capacity or 0),
                    names=", ".join(counts.beyond_capacity),
                )
            )
        self.over_capacity.setVisible(bool(counts.over_capacity))
        self.free_places.show_counts(counts)

    def _update_buttons(self) -> None:
        has_forum = self.forum_id() is not None
        self.check_in_button.setEnabled(self.selected() is not None)
        self.undo_button.setEnabled(bool(self._checked_here))
        self.walk_in_button.setEnabled(has_forum)
        self.export_button.setEnabled(has_forum)
        self.badges_button.setEnabled(has_forum)
        self.lists_button.setEnabled(has_forum)

    # -- checking in ------------------------------------------------------------------------------

    def check_in_selected(self) -> Operation | None:
        person = self.selected()
        if person is None:
            self.toast.show_message(_("Nobody is selected: type a few letters of a name."))
            return None
        return self._check_in(person)

    def check_in_scanned(self) -> Operation | None:
        """The search box holds a badge's code (a scanner typed it): check its owner in.

        Never by searching: the code stands for one registration or for nobody.
        """
        person = self._scanned_attendee()
        if person is None:
            QApplication.beep()
            self.toast.show_message(
                _("Badge {code} is not known on this computer: sync, or find the person by name.")
                .format(code=self.search.text().strip())
            )
            self.search.selectAll()
            return None
        if person.forum_id != self.forum_id():
            QApplication.beep()
            self.toast.show_message(
                _("{name}'s badge is for another forum: not checked in.").format(name=person.name)
            )
            self.search.selectAll()
            return None
        return self._check_in(person)

    def _scanned_attendee(self) -> Attendee | None:
        registration_id = registration_for_scan(self._services.database, self.search.text())
        return None if registration_id is None else self._service.attendee(registration_id)

    def _check_in(self, person: Attendee) -> Operation | None:
        if person.checked_in_at is not None:
            self.toast.show_message(
                _("{name} is already checked in ({time}).").format(
                    name=person.name, time=format_datetime(person.checked_in_at, "short")
                )
            )
            self.search.selectAll()  # a second scan of the same badge: ready for the next one
            return None
        service = self._service

        def done(arrived: Attendee) -> None:
            if arrived.id not in self._checked_here[-1:]:  # Enter pressed twice: one undo step
                self._checked_here.append(arrived.id)
            self._show_arrival(person, arrived)
            self.select(arrived.id)
            self.toast.show_message(
                _("Checked in: {name}").format(name=arrived.name), _("Undo"), self.undo_last
            )
            self.search.selectAll()  # the next name typed replaces this one
            self.checked_in.emit(arrived.id)

        return (
            Operation(self, lambda _progress: service.check_in(person.id))
            .success(done)
            .failure(self._failed)
            .run()
        )

    def _show_arrival(self, before: Attendee, arrived: Attendee) -> None:
        """Update the row and the head-count from the scan just written, then tell the other views.

        Re-reading the forum after each scan would cost more than the scan itself at a busy door; the
        desk's own notice is skipped, and any other change (a sync, another window) recounts.
        """
        counts = self._counts
        arrival = not before.checked_in and arrived.checked_in
        if counts is not None and arrival and arrived.status == REGISTERED:
            self._counts = replace(counts, checked_in=counts.checked_in + 1)
        self.model.replace_row(arrived)
        self._update_counter()
        self._own_notice = True
        try:
            self._changes.records_changed.emit(CHECKINS)
        finally:
            self._own_notice = False

    def undo_last(self) -> Operation | None:
        if not self._checked_here:
            self.toast.show_message(_("No check-in to undo at this desk."))
            return None
        registration_id = self._checked_here.pop()
        service = self._service

        def undone(person: Attendee) -> None:
            self._changes.records_changed.emit(CHECKINS)
            self.select(person.id)
            self.toast.show_message(_("Check-in undone: {name}").format(name=person.name))
            self.check_in_undone.emit(person.id)

        self._update_buttons()
        return (
            Operation(self, lambda _progress: service.undo_check_in(registration_id))
            .success(undone)
            .failure(self._failed)
            .run()
        )

    def give_free_places(self) -> Operation | None:
        forum_id = self.forum_id()
        if forum_id is None:
            return None
        service = self._service

        def given(promoted: list[Attendee]) -> None:
            self._changes.records_changed.emit("registrations")  # the desk recounts with the others
            names = ", ".join(person.name for person in promoted)
            self.toast.show_message(
                _("Off the waiting list: {names}").format(names=names) if promoted
                else _("Nobody is waiting any more.")
            )

        return (
            Operation(self, lambda _progress: service.give_free_places(forum_id))
            .success(given)
            .failure(self._failed)
            .run()
        )

    def _failed(self, error: BaseException) -> None:
        self.refresh(counts=True)
        QApplication.beep()  # a refused scan must be noticed at a busy door
        self.search.selectAll()
        self.toast.show_message(_("Not checked in: {reason}").format(reason=str(error)))

    # -- walk-ins and export ----------------------------------------------------------------------

    def walk_in(self) -> WalkInDialog | None:
        """Open the registration editor for a new participant of the chosen forum."""
        forum_id = self.forum_id()
        if forum_id is None:
            return None
        if self._walk_in is None:
            self._walk_in = WalkInDialog(self._services, self._drafts, self)
            self._walk_in.registered.connect(self._registered)
        self._walk_in.start(forum_id)
        return self._walk_in

    def _registered(self, registration_id: str) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._changes.records_changed.emit("registrations")
        if self.select(registration_id):
            person = self.selected()
            if person is not None and person.status == WAITLISTED:
                # The forum was full: the service put them on the waiting list.
                self.toast.show_message(
                    _("The forum is full: {name} is on the waiting list, place {place}.").format(
                        name=person.name, place=person.queue_place or "?"
                    )
                )
            else:
                name = person.name if person is not None else ""
                self.toast.show_message(
                    _("Registered: {name}. Press Enter to check them in.").format(name=name)
                )
        self.search.setFocus()

    def export_attendance(self, path: Path | None = None) -> Operation | None:
        """Write the chosen forum's registrations, check-ins included, as CSV or XLSX."""
        forum_id = self.forum_id()
        if forum_id is None:
            return None
        if path is None:
            path = ask_attendance_path(self, self.forum.current_name())
            if path is None:
                return None
        service = self._service
        target = path

        def written(count: int) -> None:
            self.toast.show_message(
                ngettext(
                    "{count} registration written to {name}.",
                    "{count} registrations written to {name}.",
                    count,
                ).format(count=count, name=target.name)
            )

        def failed(error: BaseException) -> None:
            self.toast.show_message(_("Export failed: {reason}").format(reason=str(error)))

        return (
            Operation(self, lambda _progress: service.export_attendance(forum_id, target))
            .with_progress(_("Exporting to {name}…").format(name=target.name))
            .success(written)
            .failure(failed)
            .run()
        )

    def _with_forum(self, action: Callable[[str], object]) -> None:
        forum_id = self.forum_id()
        if forum_id is not None:
            action(forum_id)

    # -- keyboard ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The desk's keys win over the window's shortcuts of the same keys (Ctrl+Z, Ctrl+N…)."""
        kind = event.type()
        keyed = kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if keyed and isinstance(event, QKeyEvent):
            action = self._key_action(watched, event)
            if action is not None:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    action()
                return True
        return super().eventFilter(watched, event)

    def _key_action(self, watched: QObject, event: QKeyEvent) -> Callable[[], object] | None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        control = Qt.KeyboardModifier.ControlModifier
        if modifiers == control:
            return {
                Qt.Key.Key_Z: self.undo_last,
                Qt.Key.Key_N: self.walk_in,
                Qt.Key.Key_E: self.export_attendance,
                Qt.Key.Key_F: self.focus_search,
            }.get(Qt.Key(key))
        if modifiers != Qt.KeyboardModifier.NoModifier or watched is self.forum:
            return None
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if watched is self.search and is_badge_payload(self.search.text()):
                return self.check_in_scanned
            return self.check_in_selected
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            return lambda: self._move_selection(1 if key == Qt.Key.Key_Down else -1)
        if watched is self.table:
            if key == Qt.Key.Key_Space:
                return self.check_in_selected
            text = event.text()
            if event.type() == QEvent.Type.KeyPress and text.isprintable() and text.strip():
                # Typing while the list has focus goes on searching.
                return lambda: (self.search.setFocus(), self.search.insert(text))
        return None

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
        self._search_label.setText(_("Find &participant:"))
        self.search.setPlaceholderText(_("Type a few letters of a name, organisation or email"))
        self.search.setAccessibleName(_("Find participant"))
        self.more_hint.setText(
            _("Showing the best {count} matches: type more letters to narrow the list.").format(
                count=format_integer(SEARCH_ROWS)
            )
        )
        self.table.setAccessibleName(_("Participants"))
        self.counter.setAccessibleName(_("Checked in"))
        self.check_in_button.setText(_("Check in (Enter)"))
        self.check_in_button.setToolTip(_("Check in the selected participant (Enter or Space)"))
        self.undo_button.setText(_("Undo check-in (Ctrl+Z)"))
        self.undo_button.setToolTip(
            _("Undo the last check-in made at this desk (a cancelling scan, kept in the log)")
        )
        self.over_capacity.setAccessibleName(_("Over capacity"))
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
        self._update_counter()
