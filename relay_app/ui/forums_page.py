"""Forums and their registrations, side by side as two tabs of record lists."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.services.drafts import DraftStore
from relay_app.ui.changes import DataChanges
from relay_app.ui.icons import icon
from relay_app.ui.language import language_signal
from relay_app.ui.records.panel import RecordPanel


class ForumsPage(QTabWidget):
    def __init__(self, services: Services, drafts: DraftStore, changes: DataChanges) -> None:
        super().__init__()
        self.forums = RecordPanel(services, "forums", drafts, changes)
        self.registrations = RecordPanel(services, "registrations", drafts, changes)
        self.addTab(self.forums, icon("forums"), "")
        self.addTab(self.registrations, icon("partners"), "")
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def current_panel(self) -> RecordPanel:
        return self.registrations if self.currentWidget() is self.registrations else self.forums

    def retranslate_ui(self) -> None:
        self.setTabText(0, _("Forums"))
        self.setTabText(1, _("Registrations"))
