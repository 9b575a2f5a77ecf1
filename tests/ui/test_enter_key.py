"""Enter in the editor, as a person presses it: typed work is never replaced or lost.

Each test uses the shown main window with real key events sent where Qt delivers a person's
keys (the focus widget, or an open completion popup), so the window's shortcuts see them.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.inputs import LongTextInput
from relay_app.ui.main_window import MainWindow
from relay_app.ui.records.panel import RecordPanel
from tests import factories
from tests.ui.dialog_log import watching_dialogs
from tests.ui.person import activate, key_target, press, type_keys

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _partners_with_one_selected(
    window: MainWindow, services: Services, qtbot: QtBot
) -> tuple[RecordPanel, str]:
    record = services.records("partners").create(factories.partner())
    window.changes.records_changed.emit("partners")
    window.show_view("partners")
    panel = window.panels["partners"]
    activate(window, qtbot)
    panel.table.setFocus()
    panel.table.selectRow(0)
    assert panel.selected_id() == record.id
    return panel, record.id


def test_enter_in_a_new_records_first_field_keeps_the_typing_and_moves_to_the_next_field(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """A record selected, Ctrl+N, "Acme", Enter: the new record and its name stay."""
    panel, _selected = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_N, CTRL)
    editor = panel.editor
    assert panel.is_editing() and editor.record_id is None
    assert key_target() is editor.field_input("name").focus
    type_keys("Acme")
    press(Key.Key_Return)
    assert panel.is_editing()
    assert editor.record_id is None  # not replaced by the selected record
    assert editor.field_input("name").raw() == "Acme"
    assert editor.is_dirty()
    assert key_target() is editor.field_input("acronym").focus


def test_enter_after_changing_a_title_keeps_the_change(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Enter on the list opens the record; a new name, then Enter in the field: not reverted."""
    panel, record_id = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_Return)  # on the list: edit the selected record
    editor = panel.editor
    assert panel.is_editing() and editor.record_id == record_id
    assert key_target() is editor.field_input("name").focus
    press(Key.Key_A, CTRL)
    type_keys("Renamed institute")
    press(Key.Key_Enter)  # the keypad's Enter too
    assert editor.record_id == record_id
    assert editor.field_input("name").raw() == "Renamed institute"
    assert editor.is_dirty()


def test_choosing_a_completion_with_down_and_enter_fills_the_choice_and_closes_the_popup(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Ctrl+N, then in Country "seneg", Down, Enter: Senegal chosen, popup gone, editor kept."""
    panel, _selected = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_N, CTRL)
    editor = panel.editor
    type_keys("Acme")
    country = editor.field_input("country")
    country.focus.setFocus()  # as a click in the box
    type_keys("seneg")
    popup = country.combo.completer().popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible)
    press(Key.Key_Down)
    press(Key.Key_Return)
    assert not popup.isVisible()
    assert QApplication.activePopupWidget() is None
    assert country.raw() == "SN"
    assert panel.is_editing() and editor.record_id is None
    assert editor.field_input("name").raw() == "Acme"


def test_enter_goes_from_field_to_field_then_to_save_and_saves_a_valid_record(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Enter through every field of a filled-in partner (Tab out of a long text), then on Save."""
    panel, _selected = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_N, CTRL)
    editor = panel.editor
    for name, value in factories.partner(name="Acme").items():
        editor.field_input(name).set_raw(value)
    editor.field_input("name").focus.setFocus()
    shown = [row for row in editor.rows.values() if row.input.widget.isVisibleTo(editor)]
    for before, row in itertools.pairwise(shown):
        # A long text takes Enter as a new line; Tab leaves it.
        press(Key.Key_Tab if isinstance(before.input, LongTextInput) else Key.Key_Return)
        assert key_target() is row.input.focus, row.field.name
    press(Key.Key_Return)
    assert key_target() is editor.save_button
    assert services.records("partners").count() == 1
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: services.records("partners").count() == 2)
    qtbot.waitUntil(lambda: not panel.is_editing())


def test_enter_on_the_list_while_a_new_record_is_typed_asks_before_replacing_it(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Ctrl+N, a name typed, back to the list (its record still selected), Enter: it asks."""
    panel, _selected = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_N, CTRL)
    type_keys("Acme")
    panel.table.setFocus()
    with watching_dialogs(answer="Cancel") as dialogs:
        press(Key.Key_Return)
    assert ["unsaved changes" in text for text in dialogs.texts()] == [True]
    assert panel.editor.record_id is None
    assert panel.editor.field_input("name").raw() == "Acme"


def test_enter_and_f2_on_the_list_edit_the_selected_record(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    panel, record_id = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_Return)
    assert panel.is_editing() and panel.editor.record_id == record_id
    press(Key.Key_Escape)
    assert not panel.is_editing()
    assert key_target() is panel.table
    press(Key.Key_F2)
    assert panel.is_editing() and panel.editor.record_id == record_id


def test_escape_in_a_completion_list_closes_it_and_keeps_the_editor(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Ctrl+N, "Acme", then "seneg" in Country and Escape: the list closes, nothing is asked."""
    panel, _selected = _partners_with_one_selected(window, services, qtbot)
    press(Key.Key_N, CTRL)
    type_keys("Acme")
    country = panel.editor.field_input("country")
    country.focus.setFocus()
    type_keys("seneg")
    popup = country.combo.completer().popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible)
    with watching_dialogs(answer="Cancel") as dialogs:
        press(Key.Key_Escape)
        assert not popup.isVisible()
        assert dialogs.seen == []
        assert panel.is_editing() and panel.editor.field_input("name").raw() == "Acme"
        press(Key.Key_Escape)  # a second Escape, in the field, cancels the editor: it asks first
    assert ["unsaved changes" in text for text in dialogs.texts()] == [True]
