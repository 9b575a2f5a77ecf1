"""One input widget per field type, all with ``FieldInput``'s small interface (field_input.py).

Dates have their own module (date_input.py); ``make_input`` picks the input for a field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from relay_app import codelists
from relay_app.formatting import format_decimal, parse_decimal
from relay_app.forms import Field, FieldType
from relay_app.i18n import _
from relay_app.services import Services
from relay_app.ui.editor.choice_box import FormComboBox
from relay_app.ui.editor.date_input import DateInput
from relay_app.ui.editor.field_input import FieldInput
from relay_app.ui.editor.steps import StepsInput

DECIMALS_SHOWN = 8  # enough for coordinates; trailing zeros are not shown


class TextInput(FieldInput):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.edit = QLineEdit()
        if field.max_length:
            self.edit.setMaxLength(field.max_length + 1)  # one over: too long is said, not cut
        self.edit.textChanged.connect(self.changed)
        self.widget = self.focus = self.edit
        self.retranslate_ui()

    def raw(self) -> Any:
        return self.edit.text()

    def set_raw(self, value: Any) -> None:
        if isinstance(value, datetime):
            value = value.isoformat(timespec="minutes")
        self.edit.setText("" if value is None else str(value))
        self.edit.setCursorPosition(0)  # a long name shows its start in a narrow editor

    def retranslate_ui(self) -> None:
        placeholders = {
            FieldType.EMAIL: _("name@example.org"),
            FieldType.URL: _("https://…"),
            FieldType.PHONE: _("+221 33 123 45 67"),
            FieldType.DATETIME: _("YYYY-MM-DD HH:MM"),
        }
        self.edit.setPlaceholderText(placeholders.get(self.field.type, ""))


class LongTextInput(FieldInput):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)  # keyboard users leave the box with Tab
        self.edit.setMinimumHeight(60)
        self.edit.setMaximumHeight(110)
        self.edit.textChanged.connect(self.changed)
        self.widget = self.focus = self.edit

    def raw(self) -> Any:
        return self.edit.toPlainText()

    def set_raw(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class NumberInput(FieldInput):
    """A number typed as text in the locale's own way, with its unit beside it."""

    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.edit = QLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.textChanged.connect(self.changed)
        self.unit = QLabel()
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.unit)
        self.widget, self.focus = box, self.edit
        self.retranslate_ui()

    def raw(self) -> Any:
        text = self.edit.text().strip()
        if not text or self.field.type is FieldType.INTEGER:
            return text
        try:
            return parse_decimal(text)  # the locale's separators: "0,4" in French
        except ValueError:
            return text  # the validator names the problem inline

    def set_raw(self, value: Any) -> None:
        if value is None or value == "":
            self.edit.setText("")
        elif self.field.type is FieldType.INTEGER or isinstance(value, str):
            self.edit.setText(str(value))
        else:
            self.edit.setText(format_decimal(value, DECIMALS_SHOWN, grouped=False))  # reads back as is

    def retranslate_ui(self) -> None:
        self.unit.setText(_(self.field.unit) if self.field.unit else "")
        self.unit.setVisible(bool(self.field.unit))


class BooleanInput(FieldInput):
    """A check box whose label wraps (a consent is a sentence) and toggles it when clicked."""

    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.box = QCheckBox()
        self.box.toggled.connect(self.changed)
        self.text = _BoxLabel(self.box)
        box_row = QWidget()
        row = QHBoxLayout(box_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.widget, self.focus = box_row, self.box

    def raw(self) -> Any:
        return self.box.isChecked()

    def set_raw(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)  # read with the box, as its own text would be
        self.text.setText(name)


class _BoxLabel(QLabel):
    """A check box's text on several lines; a click on it toggles the box, as on Qt's own."""

    def __init__(self, box: QCheckBox) -> None:
        super().__init__()
        self._box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
            self._box.toggle()
        super().mouseReleaseEvent(event)


class ChoiceInput(FieldInput):
    """A code-list choice: type a few letters of a label to find it (countries, climate zones)."""

    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.combo = FormComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(FormComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.currentTextChanged.connect(self.changed)
        self.widget = self.focus = self.combo
        self._fill(None)

    def _choices(self) -> list[tuple[str, str]]:
        assert self.field.codelist is not None
        return codelists.get(self.field.codelist).choices()

    def _fill(self, keep: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for code, label in self._choices():
            self.combo.addItem(label, code)
        self.combo.blockSignals(False)
        self.set_raw(keep)

    def raw(self) -> Any:
        text = self.combo.currentText().strip()
        if not text:
            return None
        found = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if found > 0:
            return self.combo.itemData(found)
        return text  # not a label: the validator reports it, or takes it as a code

    def set_raw(self, value: Any) -> None:
        index = self.combo.findData(value) if value else 0
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(str(value))
        self.combo.lineEdit().setCursorPosition(0)

    def retranslate_ui(self) -> None:
        self._fill(self.raw())


class MultiChoiceInput(FieldInput):
    """Several codes ticked in a list, with a filter box to find them by typing."""

    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.filter.textChanged.connect(self._apply_filter)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter)
        column.addWidget(self.list)
        self.widget, self.focus = box, self.filter
        self._fill([])
        self.retranslate_ui()

    def _fill(self, chosen: list[str]) -> None:
        assert self.field.codelist is not None
        self.list.blockSignals(True)
        self.list.clear()
        choices = codelists.get(self.field.codelist).choices()
        # Ticked entries first, so what is chosen is seen without scrolling.
        choices.sort(key=lambda pair: pair[0] not in chosen)
        for code, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = code in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def raw(self) -> Any:
        return [
            self.list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_raw(self, value: Any) -> None:
        if isinstance(value, str):
            value = [item.strip() for item in value.split(";") if item.strip()]
        self.filter.clear()  # another record: a filter typed for the last one would hide choices
        self._fill(list(value or []))
        self.changed.emit()

    def tab_stops(self) -> list[QWidget]:
        return [self.filter, self.list]

    def set_accessible_name(self, name: str) -> None:
        self.filter.setAccessibleName(_("{field}: filter").format(field=name))
        self.list.setAccessibleName(name)

    def retranslate_ui(self) -> None:
        self.filter.setPlaceholderText(_("Type to filter…"))
        self._fill(self.raw())


class ReferenceInput(FieldInput):
    """A record of another kind (the forum of a registration, the partner of a practice)."""

    LIMIT = 500

    def __init__(self, field: Field, services: Services) -> None:
        super().__init__(field)
        assert field.reference is not None
        self._service = services.records(field.reference)
        self.combo = FormComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(FormComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.combo.setCompleter(completer)
        self.combo.currentTextChanged.connect(self.changed)
        self.widget = self.focus = self.combo
        self.reload()

    def reload(self) -> None:
        keep = self.raw() if self.combo.count() else None
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for record in self._service.list(limit=self.LIMIT):
            self.combo.addItem(record.summary, record.id)
        self.combo.blockSignals(False)
        self.set_raw(keep)

    def raw(self) -> Any:
        text = self.combo.currentText().strip()
        if not text:
            return None
        found = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        return self.combo.itemData(found) if found > 0 else text

    def set_raw(self, value: Any) -> None:
        if not value:
            self.combo.setCurrentIndex(0)
            return
        index = self.combo.findData(value)
        if index < 0:
            try:
                record = self._service.get(str(value))
            except Exception:  # an id not found here still shows, and is reported on save
                self.combo.setEditText(str(value))
                return
            self.combo.addItem(record.summary, record.id)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class TextListInput(FieldInput):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.steps = StepsInput()
        self.steps.changed.connect(self.changed)
        self.widget, self.focus = self.steps, self.steps.list

    def tab_stops(self) -> list[QWidget]:
        steps = self.steps
        return [steps.list, steps.add_button, steps.remove_button, steps.up_button, steps.down_button]

    def raw(self) -> Any:
        return self.steps.items()

    def set_raw(self, value: Any) -> None:
        if isinstance(value, str):
            value = [item.strip() for item in value.split(";") if item.strip()]
        self.steps.set_items(list(value or []))

    def retranslate_ui(self) -> None:
        self.steps.retranslate_ui()


def make_input(field: Field, services: Services) -> FieldInput:
    if field.type is FieldType.LONG_TEXT:
        return LongTextInput(field)
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return NumberInput(field)
    if field.type is FieldType.DATE:
        return DateInput(field)
    if field.type is FieldType.BOOLEAN:
        return BooleanInput(field)
    if field.type is FieldType.CHOICE:
        return ChoiceInput(field)
    if field.type is FieldType.MULTI_CHOICE:
        return MultiChoiceInput(field)
    if field.type is FieldType.REFERENCE:
        return ReferenceInput(field, services)
    if field.type is FieldType.TEXT_LIST:
        return TextListInput(field)
    return TextInput(field)
