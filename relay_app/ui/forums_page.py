"""Forums, their registrations and the check-in desk, as three tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.drafts import DraftStore
from relay_app.ui.changes import DataChanges
from relay_app.ui.checkin import CheckInDesk
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal
from relay_app.ui.records.panel import RecordPanel


class ForumsPage(QTabWidget):
    def __init__(self, services: Services, drafts: DraftStore, changes: DataChanges) -> None:
        super().__init__()
        self.forums = RecordPanel(services, "forums", drafts, changes)
        self.registrations = RecordPanel(services, "registrations", drafts, changes)
        self.desk = CheckInDesk(services, drafts, changes)
        self.addTab(self.forums, icon("forums"), "")
        self.addTab(self.registrations, icon("partners"), "")
        self.addTab(self.desk, icon("next"), "")
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def current_panel(self) -> RecordPanel:
        # The desk works on registrations: menu actions it does not take itself (import, the
        # list's export) go to them. Its own keys (Enter, Ctrl+Z, Ctrl+N, Ctrl+E) it handles.
        if self.currentWidget() in (self.registrations, self.desk):
            return self.registrations
        return self.forums

    def retranslate_ui(self) -> None:
        self.setTabText(0, _("Forums"))
        self.setTabText(1, _("Registrations"))
        self.setTabText(2, _("Check-in desk"))
