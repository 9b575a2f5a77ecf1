"""Empty lists say what to do: the first record, or a search that matched nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from tests import factories


def test_an_empty_list_says_how_to_add_the_first_record_and_its_new_button_does(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """A fresh store: each list says it has none yet, naming New (Ctrl+N) and import (Ctrl+I),
    with a New button on screen. Clicking it opens the editor; once the record is saved the list
    shows it and the sentence goes."""
    sentences = {
        kind: panel.empty_state.message.text()
        for kind, panel in window.panels.items()
        if panel.empty_state.isVisibleTo(panel)
    }
    assert sentences == {
        kind: f"No {kind} yet. Add the first with New (Ctrl+N), or import a spreadsheet (Ctrl+I)."
        for kind in ("partners", "practices", "forums", "registrations")
    }
    panel = window.panels["partners"]
    assert window.current_panel() is panel
    empty = panel.empty_state
    assert empty.isVisible() and empty.new_button.isVisible() and not empty.clear_button.isVisible()
    assert empty.geometry() == panel.table.viewport().rect()  # over the whole list, not a corner

    qtbot.mouseClick(empty.new_button, Qt.MouseButton.LeftButton)
    assert panel.is_editing()
    for name, value in factories.partner().items():
        panel.editor.field_input(name).set_raw(value)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert not empty.isVisible()


def test_ctrl_n_from_an_empty_list_starts_a_record(window: MainWindow, qtbot: QtBot) -> None:
    """The sentence names Ctrl+N: pressed on the window showing the empty list, it works."""
    window.show_view("practices")
    panel = window.panels["practices"]
    assert panel.empty_state.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert panel.is_editing()


def test_a_search_that_matches_nothing_says_so_and_offers_to_clear_it(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """With records in the store, a search typed key by key that finds none says that nothing
    matches (not that there are no partners) and offers to clear it; the button brings the list
    back."""
    services.records("partners").create(factories.partner())
    window.changes.records_changed.emit("partners")
    panel = window.panels["partners"]
    empty = panel.empty_state
    assert panel.model.rowCount() == 1 and not empty.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.search, "zanzibar")
    qtbot.waitUntil(empty.isVisible)
    assert empty.message.text() == "Nothing matches “zanzibar”. Try other words, or clear the search."
    assert not empty.new_button.isVisible() and empty.clear_button.isVisible()

    qtbot.mouseClick(empty.clear_button, Qt.MouseButton.LeftButton)
    assert panel.search.text() == ""
    assert panel.model.rowCount() == 1 and not empty.isVisible()
