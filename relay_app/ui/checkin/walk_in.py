"""A walk-in registration: the lists' registration editor in a dialog, its forum already chosen,
and the desk showing the newcomer once saved, ready to be checked in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.checkin import WAITLISTED
from relay_app.services.drafts import DraftStore
from relay_app.ui.changes import DataChanges
from relay_app.ui.checkin.participant_list import ParticipantList
from relay_app.ui.dialogs import Unsaved, ask_unsaved
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.language import language_signal


class WalkInDialog(QDialog):
    """Emits ``registered(id)`` once the new registration is saved, then closes."""

    registered = Signal(str)

    def __init__(
        self, services: Services, drafts: DraftStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = RecordEditor(services, "registrations", drafts)
        self.editor.saved.connect(self._saved)
        self.editor.cancelled.connect(self.reject)
        self._prefilled: dict[str, object] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        # Once inside the dialog, or Qt makes the first button (Cancel) the default: Enter
        # outside a field saves the registration, never cancels it.
        self.editor.save_button.setDefault(True)
        self.resize(560, 680)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def start(self, forum_id: str) -> None:
        """Open on a new registration for ``forum_id``, the cursor in the first name."""
        self.editor.refresh_references()  # a forum made since the last walk-in is offered
        self.editor.start_new({"forum_id": forum_id})
        self._prefilled = self.editor.raw_values()
        self.open()
        # Once the dialog is active: the forum is chosen, the participant's name comes first.
        QTimer.singleShot(0, self.editor.field_input("first_name").focus.setFocus)

    def _saved(self, registration_id: str) -> None:
        self.registered.emit(registration_id)
        self.editor.start_new()  # nothing left to ask about when the dialog closes
        self.accept()

    def has_unsaved_changes(self) -> bool:
        """More typed than the forum it opened with (the editor counts that as a change)."""
        return self.editor.is_dirty() and self.editor.raw_values() != self._prefilled

    def reject(self) -> None:
        if self.has_unsaved_changes():
            answer = ask_unsaved(self, self.editor.title.text())
            if answer is Unsaved.SAVE:
                self.editor.save()  # closes once saved
                return
            if answer is Unsaved.CANCEL:
                return
        self.editor.discard()
        super().reject()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Walk-in registration"))


class WalkIns:
    """The desk's walk-in dialog (made on first use) and what the desk shows once it saved."""

    def __init__(
        self, parent: QWidget, services: Services, drafts: DraftStore, participants: ParticipantList,
        changes: DataChanges, tell: Callable[[str], None],
    ) -> None:
        self._parent = parent
        self._services = services
        self._drafts = drafts
        self._participants = participants
        self._changes = changes
        self._tell = tell
        self.dialog: WalkInDialog | None = None

    def start(self, forum_id: str) -> WalkInDialog:
        """Open the registration editor for a new participant of ``forum_id``."""
        if self.dialog is None:
            self.dialog = WalkInDialog(self._services, self._drafts, self._parent)
            self.dialog.registered.connect(self._registered)
        self.dialog.start(forum_id)
        return self.dialog

    def _registered(self, registration_id: str) -> None:
        participants = self._participants
        participants.clear_search_quietly()
        self._changes.records_changed.emit("registrations")  # the desk reads its forum again
        if participants.select(registration_id):
            person = participants.selected()
            if person is not None and person.status == WAITLISTED:
                # The forum was full: the service put them on the waiting list.
                self._tell(
                    _("The forum is full: {name} is on the waiting list, place {place}.").format(
                        name=person.name, place=person.queue_place or "?"
                    )
                )
            else:
                name = person.name if person is not None else ""
                self._tell(_("Registered: {name}. Press Enter to check them in.").format(name=name))
        participants.search.setFocus()
