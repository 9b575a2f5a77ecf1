"""The import wizard: a view over the import engine (``relay_app.imports``).

Choose a file → match the columns → check the rows (counts over the whole file, invalid cells
marked) → decide on duplicates and import (progress and Cancel) → the result, with Undo.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget, QWizard

from relay_app.i18n import _
from relay_app.services import Services
from relay_app.ui.changes import DataChanges
from relay_app.ui.imports.duplicates_page import DuplicatesPage
from relay_app.ui.imports.file_page import FilePage
from relay_app.ui.imports.mapping_page import MappingPage
from relay_app.ui.imports.preview_page import PreviewPage
from relay_app.ui.imports.result_page import ResultPage
from relay_app.ui.imports.state import ImportState


class ImportWizard(QWizard):
    def __init__(
        self,
        services: Services,
        kind: str,
        changes: DataChanges,
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import records"))
        self.setObjectName("importWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.resize(900, 600)
        self.state = ImportState(services, kind)
        self.file_page = FilePage(self.state)
        self.mapping_page = MappingPage(self.state)
        self.preview_page = PreviewPage(self.state)
        self.duplicates_page = DuplicatesPage(self.state)
        self.result_page = ResultPage(self.state, changes.records_changed.emit)
        for page in (
            self.file_page,
            self.mapping_page,
            self.preview_page,
            self.duplicates_page,
            self.result_page,
        ):
            self.addPage(page)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
        # A closed wizard lets go of its file and checked rows (a large file holds hundreds of MB).
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(self, result: int) -> None:
        for page in (self.file_page, self.mapping_page, self.duplicates_page):
            page.step.cancel()
        super().done(result)


def open_import_wizard(
    parent: QWidget, services: Services, kind: str, changes: DataChanges, path: Path | None = None
) -> ImportWizard:
    """Show the wizard (not modal: the window stays usable while a long file is checked)."""
    wizard = ImportWizard(services, kind, changes, path, parent)
    wizard.show()
    return wizard
