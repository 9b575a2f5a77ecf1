"""Code-list filters above a record list (country, region, college, land use, ...)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QWidget

from relay_app import codelists
from relay_app.forms import form_for
from relay_app.i18n import _


class FilterBar(QWidget):
    changed = Signal()
    PER_LINE = 3

    def __init__(self, kind: str, names: tuple[str, ...]) -> None:
        super().__init__()
        self._form = form_for(kind)
        self.combos: dict[str, QComboBox] = {}
        self._labels: dict[str, QLabel] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(1)
        for position, name in enumerate(names):
            label = QLabel()
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = QCompleter(combo.model(), combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            combo.setCompleter(completer)
            combo.setMinimumContentsLength(5)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
            label.setBuddy(combo)
            line, column = divmod(position, self.PER_LINE)
            # Labels above their box keep the list usable on a narrow netbook screen.
            layout.addWidget(label, 2 * line, column)
            layout.addWidget(combo, 2 * line + 1, column)
            layout.setColumnStretch(column, 1)
            self.combos[name] = combo
            self._labels[name] = label
        self.retranslate_ui()

    def values(self) -> dict[str, Any]:
        return {
            name: combo.currentData()
            for name, combo in self.combos.items()
            if combo.currentData() is not None
        }

    def set_value(self, name: str, code: str | None) -> None:
        combo = self.combos[name]
        combo.setCurrentIndex(max(combo.findData(code), 0) if code else 0)

    def clear(self) -> None:
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.changed.emit()

    def retranslate_ui(self) -> None:
        for name, combo in self.combos.items():
            field = self._form.field(name)
            assert field.codelist is not None
            label = _(field.label)
            self._labels[name].setText(_("{label}:").format(label=label))
            combo.setAccessibleName(_("Filter by {field}").format(field=label))
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All"), None)
            for code, text in codelists.get(field.codelist).choices():
                combo.addItem(text, code)
            combo.setCurrentIndex(max(combo.findData(keep), 0) if keep else 0)
            combo.blockSignals(False)
