"""One field's line in an editor: its label (the input's buddy), the input, and an error line.

The error line keeps its height when empty, so a message appearing never moves the fields
below (the line doubles as the gap between fields). A required field's label carries an
asterisk, explained by the editor's legend, and its input says "Required" to screen readers; an
error shows with a warning sign, never by colour alone.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from relay_app.forms import Field
from relay_app.i18n import _
from relay_app.ui.editor.inputs import FieldInput


class FieldRow:
    """The widgets of one field: label, input, error line."""

    def __init__(self, field: Field, field_input: FieldInput) -> None:
        self.field = field
        self.input = field_input
        self.label = QLabel()
        self.label.setBuddy(field_input.focus)
        self.label.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing())
        self.required_now = field.required

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.label, self.input.widget, self.error)

    def set_visible(self, visible: bool) -> None:
        self.label.setVisible(visible)
        self.input.widget.setVisible(visible)
        self.error.setVisible(visible)

    def retranslate_ui(self) -> None:
        name = _(self.field.label)
        # The asterisk is explained by the legend; screen readers hear "required" instead.
        text = _("{label} *").format(label=name) if self.required_now else name
        self.label.setText(text)
        self.input.set_accessible_name(name)
        self.input.focus.setAccessibleDescription(_("Required") if self.required_now else "")
        self.input.focus.setToolTip(_(self.field.help) if self.field.help else "")
        self.input.retranslate_ui()

    def show_error(self, message: str | None) -> None:
        self.error.setText(_("⚠ {message}").format(message=message) if message else "")
        self.input.focus.setAccessibleDescription(
            message or (_("Required") if self.required_now else "")
        )
