"""The small interface every field input has, whatever its widgets.

``FieldInput.raw()`` returns what the person typed, in the form the validator accepts (text for
numbers, so a half-typed "12." can be reported rather than silently lost); ``set_raw`` shows a
stored or drafted value; ``changed`` fires on every edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from relay_app.forms import Field


class FieldInput(QObject):
    """The widget that edits one field: ``widget`` goes in the layout, ``focus`` takes focus."""

    changed = Signal()

    def __init__(self, field: Field) -> None:
        super().__init__()
        self.field = field
        self.widget: QWidget = QWidget()
        self.focus: QWidget = self.widget

    def raw(self) -> Any:
        raise NotImplementedError

    def set_raw(self, value: Any) -> None:
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        """Code-list labels and placeholders follow the language."""

    def tab_stops(self) -> list[QWidget]:
        """The widgets Tab visits in this input, in reading order."""
        return [self.focus]

    def set_accessible_name(self, name: str) -> None:
        self.focus.setAccessibleName(name)
