"""Step 3: the first rows with each invalid cell marked, the counts over the whole file, and the
choice between all or nothing and the valid rows only; the rejected rows can be saved to fix."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from relay_app.i18n import _, ngettext
from relay_app.imports import Preview, write_rejects
from relay_app.ui.imports.state import ImportState
from relay_app.ui.operations import Operation

PREVIEW_ROWS = 100
INVALID_CELL = QColor(255, 214, 214)
SUMMARY_LINES = 5  # the most frequent problems; the rest is in the table and the rejects file


def error_summary(preview: Preview) -> str:
    """The file's problems, most frequent first: one line per field and kind of error, with how
    many rows have it. A field no column fills is said so, since no cell can show it."""
    counts: Counter[tuple[str | None, str]] = Counter()
    example: dict[tuple[str | None, str], str] = {}
    unfilled: set[tuple[str | None, str]] = set()
    for row in preview.rows:
        for key in dict.fromkeys((error.field, error.code) for error in row.errors):
            counts[key] += 1
        for error in row.errors:
            key = (error.field, error.code)
            example.setdefault(key, error.message)
            if error.field is not None and preview.header_of(error) is None:
                unfilled.add(key)
    lines = []
    for key, count in counts.most_common(SUMMARY_LINES):
        line = ngettext("{count} row: {message}", "{count} rows: {message}", count).format(
            count=count, message=example[key]
        )
        if key in unfilled:
            line = _("{problem} No column of the file fills this field: go back to choose one.").format(
                problem=line
            )
        lines.append(line)
    return "\n".join(lines)


class PreviewPage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(_("Check the rows"))
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setObjectName("importCounts")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importErrorSummary")
        self.summary.setStyleSheet("color: #8a1c1c;")
        self.table = QTableWidget()
        self.table.setAccessibleName(_("First rows of the file"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.all_or_nothing = QRadioButton(_("Import only if every row is valid (all or nothing)"))
        self.valid_only = QRadioButton(_("Import the valid rows and leave out the others"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.all_or_nothing)
        self.choice.addButton(self.valid_only)
        self.all_or_nothing.setChecked(True)
        self.choice.buttonToggled.connect(self._choice_changed)
        self.save_rejects = QPushButton(_("Save the rows with errors…"))
        self.save_rejects.setToolTip(
            _("An Excel file of those rows with an errors column, to fix and import again.")
        )
        self.save_rejects.clicked.connect(self.ask_rejects_file)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_rejects)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.all_or_nothing)
        layout.addWidget(self.valid_only)
        layout.addLayout(buttons)
        layout.addWidget(self.note)

    def preview(self) -> Preview:
        assert self.state.preview is not None
        return self.state.preview

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        preview = self.preview()
        total, invalid = len(preview.rows), preview.invalid_count
        self.counts.setText(
            ngettext(
                "{valid} valid row and {invalid} with errors, out of {total} in the whole file.",
                "{valid} valid rows and {invalid} with errors, out of {total} in the whole file.",
                preview.valid_count,
            ).format(valid=preview.valid_count, invalid=invalid, total=total)
        )
        self.summary.setText(error_summary(preview))
        self.summary.setVisible(invalid > 0)
        self.save_rejects.setEnabled(invalid > 0)
        self.valid_only.setEnabled(invalid > 0)
        if invalid == 0:
            self.all_or_nothing.setChecked(True)
        self._fill_table(preview)
        self._choice_changed()

    def _fill_table(self, preview: Preview) -> None:
        headers = list(preview.file.sheet.headers)
        shown = preview.rows[:PREVIEW_ROWS]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(shown))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setVerticalHeaderLabels([str(row.number) for row in shown])
        position = {header: index for index, header in enumerate(headers)}
        for line, row in enumerate(shown):
            for column, header in enumerate(headers):
                value = row.cells.get(header)
                self.table.setItem(line, column, QTableWidgetItem("" if value is None else str(value)))
            loose = []
            for error in row.errors:
                header = preview.header_of(error)
                if header is None or header not in position:
                    loose.append(error.message)
                    continue
                item = self.table.item(line, position[header])
                item.setBackground(QBrush(INVALID_CELL))
                item.setToolTip("\n".join(filter(None, [item.toolTip(), error.message])))
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, item.toolTip())
            if loose:
                # Errors of fields no column fills (a required field left out) belong to the row.
                heading = self.table.verticalHeaderItem(line)
                heading.setBackground(QBrush(INVALID_CELL))
                heading.setToolTip("\n".join(loose))
        self.table.resizeColumnsToContents()

    def _choice_changed(self, *_args: object) -> None:
        preview = self.preview()
        if preview.invalid_count and self.all_or_nothing.isChecked():
            self.note.setText(
                _("With rows in error nothing can be imported: fix the file, or import the valid rows.")
            )
        elif preview.invalid_count:
            self.note.setText(
                ngettext(
                    "{count} row with errors will be left out.",
                    "{count} rows with errors will be left out.",
                    preview.invalid_count,
                ).format(count=preview.invalid_count)
            )
        else:
            self.note.setText(_("Every row is valid."))
        self.state.valid_only = self.valid_only.isChecked()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        preview = self.state.preview
        if preview is None or preview.valid_count == 0:
            return False
        return self.valid_only.isChecked() or preview.invalid_count == 0

    def ask_rejects_file(self) -> None:
        suggested = Path(self.preview().file.path).with_name(
            _("{name} - rows with errors.xlsx").format(name=Path(self.preview().file.path).stem)
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the rows with errors"), str(suggested), _("Excel workbook (*.xlsx)")
        )
        if chosen:
            self.save_rejects_to(Path(chosen))

    def save_rejects_to(self, path: Path) -> Operation:
        preview = self.preview()

        def saved(count: int) -> None:
            self.note.setText(
                ngettext("{count} row saved to {file}.", "{count} rows saved to {file}.", count).format(
                    count=count, file=path.name
                )
            )

        def failed(error: BaseException) -> None:
            self.note.setText(str(error))

        return (
            Operation(self, lambda _progress: write_rejects(preview, path))
            .success(saved)
            .failure(failed)
            .run()
        )
