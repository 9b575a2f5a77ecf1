"""Typed work leaves the editor only through "Save them before leaving?", whatever the path.

A new partner is typed in the shown window with real keys while another partner is selected in
the list; then each way of replacing the editor is tried with the keys a person would press.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from relay_app.ui.records.panel import RecordPanel
from tests import factories
from tests.ui.dialog_log import watching_dialogs
from tests.ui.person import activate, press, type_keys

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def _typing_a_new_partner(window: MainWindow, services: Services, qtbot: QtBot) -> RecordPanel:
    for name in ("First partner", "Second partner"):
        services.records("partners").create(factories.partner(name=name))
    window.changes.records_changed.emit("partners")
    window.show_view("partners")
    panel = window.panels["partners"]
    activate(window, qtbot)
    panel.table.setFocus()
    panel.table.selectRow(0)
    press(Key.Key_N, CTRL)
    type_keys("Acme")
    assert panel.editor.record_id is None and panel.editor.is_dirty()
    return panel


def _still_typed(panel: RecordPanel) -> bool:
    editor = panel.editor
    return panel.is_editing() and editor.record_id is None and editor.field_input("name").raw() == "Acme"


def test_a_list_refresh_neither_asks_nor_replaces_the_new_record(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """A sync or another window's save reloads the list and selects its record again."""
    panel = _typing_a_new_partner(window, services, qtbot)
    with watching_dialogs(answer="Discard changes") as dialogs:
        window.changes.records_changed.emit("partners")
    assert dialogs.seen == []
    assert _still_typed(panel)


def test_other_pages_and_back_keep_the_typed_work(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    panel = _typing_a_new_partner(window, services, qtbot)
    press(Key.Key_2, CTRL)
    assert window.current_view() == "practices"
    press(Key.Key_1, CTRL)
    assert window.current_view() == "partners"
    assert _still_typed(panel)


def test_next_record_new_record_and_closing_ask_and_cancel_keeps_the_work(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Ctrl+Down, Ctrl+N, then the window's close button (Quit has no key on every system)."""
    panel = _typing_a_new_partner(window, services, qtbot)
    with watching_dialogs(answer="Cancel") as dialogs:
        for key in (Key.Key_Down, Key.Key_N):
            press(key, CTRL)
            assert _still_typed(panel), key
            activate(window, qtbot)  # offscreen, no window manager gives it back after a dialog
        assert not window.close()
    assert ["unsaved changes" in text for text in dialogs.texts()] == [True, True, True]
    assert window.isVisible() and _still_typed(panel)
