"""Step 1: which file, into which kind of record."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    QWizardPage,
)

from relay_app.forms import KINDS, form_for
from relay_app.i18n import _
from relay_app.imports import open_import
from relay_app.imports.reading import supported_suffixes
from relay_app.ui.imports.state import ImportState
from relay_app.ui.imports.steps import AsyncStep


class FilePage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(_("Choose a file"))
        self.setSubTitle(
            _("CSV (any separator, UTF-8 or Windows encoding), Excel (.xlsx), OpenDocument (.ods) or JSON.")
        )
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName(_("File to import"))
        self.path_edit.textChanged.connect(self.completeChanged)
        self.browse_button = QPushButton(_("Browse…"))
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(_("Import into"))
        for kind in KINDS:
            self.kind_combo.addItem(_(form_for(kind).label), kind)
        self.kind_combo.setCurrentIndex(KINDS.index(state.kind))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("importProblem")
        layout = QFormLayout(self)
        layout.addRow(_("File:"), row)
        layout.addRow(_("Import into:"), self.kind_combo)
        layout.addRow(self.problem)
        self.step = AsyncStep(self)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip())

    def browse(self) -> None:
        patterns = " ".join(f"*.{suffix}" for suffix in supported_suffixes())
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import records"),
            "",
            _("Spreadsheets and data files ({patterns})").format(patterns=patterns),
        )
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.path_edit.text().strip()) and not self.step.running

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        path, kind = self.path(), self.kind_combo.currentData()
        opened = self.state.opened
        if opened is not None and opened.path == path and opened.kind == kind:
            return True
        self.state.kind = kind
        self.problem.clear()
        records = self.state.records
        self.step.start(
            _("Reading {name}…").format(name=path.name),
            lambda _progress: open_import(records, path),
            self._opened,
            self.problem.setText,
        )
        return False

    def _opened(self, opened: object) -> None:
        self.state.opened = opened  # type: ignore[assignment]
        self.state.mapping = self.state.opened.mapping if self.state.opened else None
        self.state.preview = None
        self.wizard().next()
