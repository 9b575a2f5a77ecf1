"""The mouse wheel scrolls the form; it changes a choice only once that choice has the focus.

The wheel turns go to the widget under the cursor of the shown main window, without a click,
as a person scrolling down a long form does (see ``tests.ui.person.turn_wheel``).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.person import activate, press, turn_wheel

# A code-list choice and a reference to another record, each in a form taller than the window.
CHOICES = [("partners", "college"), ("practices", "partner_id")]


def _new_record(window: MainWindow, services: Services, qtbot: QtBot, kind: str) -> RecordEditor:
    services.records("partners").create(factories.partner())
    window.changes.records_changed.emit("partners")
    window.show_view(kind)
    activate(window, qtbot)
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    panel = window.panels[kind]
    assert panel.is_editing()
    return panel.editor


@pytest.mark.parametrize(("kind", "name"), CHOICES)
def test_two_notches_over_an_unfocused_choice_scroll_the_form_and_leave_the_choice(
    window: MainWindow, services: Services, qtbot: QtBot, kind: str, name: str
) -> None:
    editor = _new_record(window, services, qtbot, kind)
    choice = editor.field_input(name)
    # The scroll bar is asked afresh each time: PySide drops its wrapper once a wheel reached it.
    assert editor.scroll.verticalScrollBar().maximum() > 0, "the form must be taller than this"
    editor.scroll.ensureWidgetVisible(choice.widget)
    before = editor.scroll.verticalScrollBar().value()
    assert QApplication.focusWidget() is not choice.focus
    turn_wheel(choice.widget, 2)
    assert choice.raw() is None  # no choice made
    assert not editor.is_dirty()
    assert QApplication.focusWidget() is not choice.focus
    assert editor.scroll.verticalScrollBar().value() > before  # the form scrolled instead


@pytest.mark.parametrize(("kind", "name"), CHOICES)
def test_a_focused_choice_takes_the_wheel(
    window: MainWindow, services: Services, qtbot: QtBot, kind: str, name: str
) -> None:
    editor = _new_record(window, services, qtbot, kind)
    choice = editor.field_input(name)
    editor.scroll.ensureWidgetVisible(choice.widget)
    choice.focus.setFocus(Qt.FocusReason.MouseFocusReason)  # a click in the box
    turn_wheel(choice.widget, 1)
    assert choice.raw() is not None
    assert editor.is_dirty()
