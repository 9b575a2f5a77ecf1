"""Code-list filters above a record list (country, region, college, land use, ...).

A list can also be pinned to the records that name one record ("Contributing partner: Agro
Senegal", from a partner's "Show practices of this partner"), with a "Show all" button to leave it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QPushButton, QWidget

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
        self._pinned: tuple[str, str, str] | None = None  # field, the record's id, its title
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(1)
        for position, name in enumerate(names):
            label = QLabel()
            label.setWordWrap(True)  # "Utilisation des terres :" must not widen the list
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
        self.pinned_label = QLabel()
        self.show_all_button = QPushButton()
        self.show_all_button.clicked.connect(self.unpin)
        pinned_line = 2 * ((len(names) + self.PER_LINE - 1) // self.PER_LINE)
        layout.addWidget(self.pinned_label, pinned_line, 0, 1, max(self.PER_LINE - 1, 1))
        layout.addWidget(self.show_all_button, pinned_line, max(self.PER_LINE - 1, 1))
        self._show_pinned()
        self.retranslate_ui()

    def values(self) -> dict[str, Any]:
        chosen = {
            name: combo.currentData()
            for name, combo in self.combos.items()
            if combo.currentData() is not None
        }
        if self._pinned is not None:
            chosen[self._pinned[0]] = self._pinned[1]
        return chosen

    @property
    def pinned(self) -> tuple[str, str, str] | None:
        return self._pinned

    def pin(self, name: str, record_id: str, title: str) -> None:
        """Show only the records whose reference ``name`` is ``record_id``; other filters reset."""
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._pinned = (name, record_id, title)
        self._show_pinned()
        self.changed.emit()

    def unpin(self) -> None:
        if self._pinned is not None:
            self._pinned = None
            self._show_pinned()
            self.changed.emit()

    def _show_pinned(self) -> None:
        pinned = self._pinned
        self.pinned_label.setVisible(pinned is not None)
        self.show_all_button.setVisible(pinned is not None)
        if pinned is not None:
            field = _(self._form.field(pinned[0]).label)
            self.pinned_label.setText(_("{field}: {title}").format(field=field, title=pinned[2]))

    def set_value(self, name: str, code: str | None) -> None:
        combo = self.combos[name]
        combo.setCurrentIndex(max(combo.findData(code), 0) if code else 0)

    def clear(self) -> None:
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._pinned = None
        self._show_pinned()
        self.changed.emit()

    def retranslate_ui(self) -> None:
        self._show_pinned()
        self.show_all_button.setText(_("Show all"))
        self.show_all_button.setToolTip(_("Leave this filter and show every record"))
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
