"""Step 4: rows that look like records already here or like an earlier row of the file; skip,
update or create, for all or per row. Its Next button is Import: the write runs on the database
thread with progress and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from relay_app.i18n import N_, _, ngettext
from relay_app.imports import DuplicateMatch, Duplicates, write
from relay_app.imports.engine import default_decision
from relay_app.ui.editor.choice_box import FormComboBox
from relay_app.ui.imports.state import ImportState
from relay_app.ui.imports.steps import AsyncStep

CHOICES: tuple[tuple[Duplicates, str], ...] = (
    (Duplicates.SKIP, N_("Skip: keep the existing record")),
    (Duplicates.UPDATE, N_("Update the existing record")),
    (Duplicates.CREATE, N_("Create a new record anyway")),
)
# The same decisions for a row repeating an earlier row of the file (that row plays the record).
CHOICES_IN_FILE: tuple[tuple[Duplicates, str], ...] = (
    (Duplicates.SKIP, N_("Skip: keep the earlier row")),
    (Duplicates.UPDATE, N_("Add its values to the earlier row's record")),
    (Duplicates.CREATE, N_("Create both records")),
)
ROW, IN_FILE, EXISTING, REASON, DECISION = range(5)


def _decision_combo(name: str, choices: tuple[tuple[Duplicates, str], ...] = CHOICES) -> QComboBox:
    combo = FormComboBox()  # a wheel passing over the table scrolls it
    combo.setAccessibleName(name)
    for decision, label in choices:
        combo.addItem(_(label), decision.value)
    return combo


def _summary(matches: list[DuplicateMatch]) -> str:
    repeats = sum(match.same_row is not None for match in matches)
    like_records = len(matches) - repeats
    if not matches:
        return _("No row looks like a record already here.")
    parts = []
    if like_records:
        parts.append(ngettext(
            "{count} row looks like a record already here.",
            "{count} rows look like records already here.",
            like_records,
        ).format(count=like_records))
    if repeats:
        parts.append(ngettext(
            "{count} row repeats an earlier row of the file.",
            "{count} rows repeat earlier rows of the file.",
            repeats,
        ).format(count=repeats))
    return " ".join(parts)


class DuplicatesPage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(_("Possible duplicates"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Import"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.for_all = _decision_combo(_("Decision for every duplicate"))
        self.for_all.insertItem(0, _("(row by row)"), None)
        self.for_all.setCurrentIndex(0)
        self.for_all.currentIndexChanged.connect(self._apply_to_all)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Row"), _("In the file"), _("Existing record"), _("Why"), _("Decision")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(_("Rows that look like existing records or earlier rows"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("importProblem")
        choose = QFormLayout()
        choose.addRow(_("For all:"), self.for_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        self.step = AsyncStep(self)
        self.combos: dict[int, QComboBox] = {}

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        preview = self.state.preview
        assert preview is not None
        matches = [m for m in preview.duplicates.values() if self._imported(m.row)]
        form = self.state.records.form
        by_number = {row.number: row for row in preview.rows}
        self.summary.setText(_summary(matches))
        self.for_all.setEnabled(bool(matches))
        self.table.setRowCount(len(matches))
        self.combos = {}
        for line, match in enumerate(matches):
            cleaned = by_number[match.row].cleaned or {}
            reason = match.reason_text() if match.score == 100 else f"{match.reason_text()} ({match.score} %)"
            for column, text in (
                (ROW, str(match.row)),
                (IN_FILE, form.summary(cleaned)),
                (EXISTING, match.existing_text()),
                (REASON, reason),
            ):
                self.table.setItem(line, column, QTableWidgetItem(text))
            combo = _decision_combo(
                _("Decision for row {row}").format(row=match.row),
                CHOICES if match.same_row is None else CHOICES_IN_FILE,
            )
            wanted = self.state.decisions.get(match.row) or _initial(match)
            combo.setCurrentIndex(combo.findData(wanted.value))
            combo.currentIndexChanged.connect(lambda _i, row=match.row: self._decided(row))
            self.table.setCellWidget(line, DECISION, combo)
            self.combos[match.row] = combo
            self.state.decisions[match.row] = wanted

    def _imported(self, number: int) -> bool:
        preview = self.state.preview
        assert preview is not None
        return any(row.number == number and row.cleaned is not None for row in preview.rows)

    def _decided(self, row: int) -> None:
        self.state.decisions[row] = Duplicates(self.combos[row].currentData())

    def _apply_to_all(self) -> None:
        value = self.for_all.currentData()
        if value is None:
            return
        for combo in self.combos.values():
            combo.setCurrentIndex(combo.findData(value))

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return not self.step.running

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.state.outcome is not None:
            return True
        preview, records = self.state.preview, self.state.records
        assert preview is not None
        decisions, valid_only = dict(self.state.decisions), self.state.valid_only
        self.problem.clear()
        self.step.start(
            _("Importing {name}…").format(name=preview.file.path.name),
            lambda progress: write(
                records, preview, valid_only=valid_only, decisions=decisions, progress=progress
            ),
            self._written,
            self.problem.setText,
        )
        return False

    def _written(self, outcome: object) -> None:
        self.state.outcome = outcome  # type: ignore[assignment]
        self.wizard().next()


def _initial(match: object) -> Duplicates:
    """The same id updates (an edited export); anything less sure is skipped until a person says."""
    decision = default_decision(match)  # type: ignore[arg-type]
    return Duplicates.SKIP if decision is Duplicates.REPORT else decision
