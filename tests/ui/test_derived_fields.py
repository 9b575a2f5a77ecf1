"""The editor fills the region from the country, by the rule saving and imports use, and never
overwrites a region the person chose. Typed key by key into the shown window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow
from tests import factories


def _type_choice(qtbot: QtBot, editor: RecordEditor, name: str, label: str) -> None:
    """Select what the choice box holds and type ``label`` over it, as a person does."""
    combo = editor.field_input(name).focus
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if label:
        qtbot.keyClicks(combo, label)
    else:
        qtbot.keyClick(combo, Qt.Key.Key_Delete)


def _region(editor: RecordEditor) -> object:
    return editor.field_input("region").raw()


def test_choosing_a_country_fills_the_region_and_follows_it_until_the_person_chooses_one(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Before, the region stayed empty in the editor until a save derived it unseen."""
    window.show_view("partners")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    panel = window.panels["partners"]
    editor = panel.editor
    assert panel.is_editing() and _region(editor) is None

    _type_choice(qtbot, editor, "country", "Senegal")
    assert editor.field_input("country").raw() == "SN"
    assert _region(editor) == "sub_saharan_africa"

    _type_choice(qtbot, editor, "country", "France")  # filled automatically: it follows
    assert _region(editor) == "western_europe"

    _type_choice(qtbot, editor, "region", "Northern Africa")  # the person's own choice
    assert _region(editor) == "northern_africa"
    _type_choice(qtbot, editor, "country", "Kenya")
    assert editor.field_input("country").raw() == "KE"
    assert _region(editor) == "northern_africa"

    _type_choice(qtbot, editor, "region", "")  # emptied: the country fills it again
    _type_choice(qtbot, editor, "country", "Peru")
    assert _region(editor) == "latin_america_caribbean"


def test_an_opened_record_keeps_a_chosen_region_and_updates_a_derived_one(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    practices = services.records("practices")
    chosen = practices.create(factories.practice(title="Chosen", country="SN", region="northern_africa"))
    derived = practices.create(factories.practice(title="Derived", country="SN", region=None))
    assert derived.values["region"] == "sub_saharan_africa"  # the save derived it
    window.show_view("practices")
    editor = window.panels["practices"].editor

    editor.start_edit(practices.get(chosen.id))
    window.panels["practices"].right.setCurrentWidget(editor)
    _type_choice(qtbot, editor, "country", "France")
    assert _region(editor) == "northern_africa"

    editor.start_edit(practices.get(derived.id))
    assert not editor.is_dirty()  # opening a record changes nothing in it
    _type_choice(qtbot, editor, "country", "France")
    assert _region(editor) == "western_europe"
    editor.discard()


def test_forums_derive_their_required_region_too(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.panels["forums"].editor
    window.show_view("forums")
    editor.start_new()
    window.panels["forums"].right.setCurrentWidget(editor)
    _type_choice(qtbot, editor, "country", "Peru")
    assert _region(editor) == "latin_america_caribbean"
    assert editor.error_text("region") == ""
