"""Step 2: which column fills which field; unmatched columns are shown and ignored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from relay_app.forms import form_for
from relay_app.i18n import N_, _, ngettext
from relay_app.imports import check
from relay_app.imports.mapping import (
    BY_FILE,
    BY_LABEL,
    BY_MEMORY,
    BY_NAME,
    BY_PERSON,
    ID_COLUMN,
    UNMATCHED,
    ColumnMapping,
    targets,
)
from relay_app.imports.reading import Sheet
from relay_app.ui.editor.choice_box import FormComboBox
from relay_app.ui.imports.state import ImportState
from relay_app.ui.imports.steps import AsyncStep

HOW: dict[str, str] = {
    BY_NAME: N_("field name"),
    BY_LABEL: N_("field label"),
    BY_MEMORY: N_("as last time"),
    BY_FILE: N_("mapping file"),
    BY_PERSON: N_("your choice"),
    UNMATCHED: N_("no match: ignored"),
}
HEADER, FIELD, EXAMPLE, HOW_COLUMN = range(4)


class MappingPage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(_("Match the columns"))
        self.setSubTitle(
            _("Each column fills the field chosen for it. Columns set to “(ignore)” are not imported.")
        )
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Column"), _("Field"), _("First value"), _("Matched by")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(_("Columns and fields"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("importProblem")
        self.file_info = QLabel()
        self.file_info.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        self.step = AsyncStep(self)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        opened, mapping = self.state.opened, self.state.mapping
        assert opened is not None and mapping is not None
        form = form_for(opened.kind)
        self.file_info.setText(file_description(opened.sheet))
        first = opened.sheet.rows[0].values if opened.sheet.rows else {}
        self.table.setRowCount(len(mapping.columns))
        self.combos = {}
        for row, column in enumerate(mapping.columns):
            self.table.setItem(row, HEADER, _item(column.header))
            combo = FormComboBox()  # a wheel passing over the table scrolls it
            combo.setAccessibleName(_("Field for column {column}").format(column=column.header))
            combo.addItem(_("(ignore)"), None)
            for name in targets(form):
                label = _("Record id") if name == ID_COLUMN else _(form.field(name).label)
                combo.addItem(f"{label} ({name})", name)
            combo.setCurrentIndex(max(0, combo.findData(column.field)) if column.field else 0)
            if column.field is None and column.suggestions:
                combo.setToolTip(_("Closest fields: {fields}").format(fields=", ".join(column.suggestions)))
            combo.currentIndexChanged.connect(lambda _i, header=column.header: self._chosen(header))
            self.table.setCellWidget(row, FIELD, combo)
            self.combos[column.header] = combo
            example = first.get(column.header)
            self.table.setItem(row, EXAMPLE, _item("" if example is None else str(example)))
            how = _(HOW[column.how])
            if column.field is None and column.suggestions:
                how = _("{how} (closest: {fields})").format(how=how, fields=", ".join(column.suggestions))
            self.table.setItem(row, HOW_COLUMN, _item(how))
        self._show_summary()

    def mapping(self) -> ColumnMapping:
        assert self.state.mapping is not None
        return self.state.mapping

    def _chosen(self, header: str) -> None:
        field = self.combos[header].currentData()
        self.state.mapping = self.mapping().choose(header, field)
        self.state.preview = None
        row = [column.header for column in self.mapping().columns].index(header)
        self.table.setItem(row, HOW_COLUMN, _item(_(HOW[BY_PERSON])))
        self._show_summary()

    def _show_summary(self) -> None:
        mapping = self.mapping()
        ignored = [column.header for column in mapping.ignored()]
        used = len(mapping.used())
        text = _("{used} of {total} columns will be imported.").format(used=used, total=len(mapping.columns))
        if ignored:
            quoted = ", ".join(_("“{column}”").format(column=header) for header in ignored)  # « » in French
            text += " " + _("Ignored: {columns}.").format(columns=quoted)
        self.summary.setText(text)
        self.problem.setText(" ".join(mapping.problems()))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        mapping = self.state.mapping
        return (
            mapping is not None and bool(mapping.used()) and not mapping.problems() and not self.step.running
        )

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.state.preview is not None and self.state.preview.mapping == self.state.mapping:
            return True
        opened, mapping, records = self.state.opened, self.mapping(), self.state.records
        assert opened is not None
        self.step.start(
            _("Checking {count} rows…").format(count=len(opened.sheet.rows)),
            lambda progress: check(records, opened, mapping, progress=progress),
            self._checked,
            self.problem.setText,
        )
        return False

    def _checked(self, preview: object) -> None:
        self.state.preview = preview  # type: ignore[assignment]
        self.wizard().next()


SEPARATORS = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab")}


def file_description(sheet: Sheet) -> str:
    """What was read, so a wrong guess shows: "1,000 rows; CSV read as cp1252, separated by semicolons"."""
    rows = ngettext("{count} row", "{count} rows", len(sheet.rows)).format(count=len(sheet.rows))
    if sheet.encoding and sheet.delimiter:
        return _("{rows} in {file}: text in {encoding}, separator: {separator}.").format(
            rows=rows, file=sheet.file_name, encoding=sheet.encoding,
            separator=_(SEPARATORS.get(sheet.delimiter, sheet.delimiter)),
        )
    return _("{rows} in {file}.").format(rows=rows, file=sheet.file_name)


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item
