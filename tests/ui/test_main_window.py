"""The shell: navigation, status bar, shortcuts, remembered geometry and view, runtime language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.i18n import _, set_language
from relay_app.services import Services
from relay_app.ui.main_window import VIEWS, MainWindow
from relay_app.ui.settings import SETTINGS_FILE
from tests import factories


def test_status_bar_says_offline_pending_changes_and_last_sync(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    status = window.status_panel
    assert status.connection.text() == "Offline"
    assert (
        status.connection_icon.pixmap() is not None and not status.connection_icon.pixmap().isNull()
    )
    assert status.pending.text() == "0 changes waiting to sync"
    assert status.last_sync.text() == "Last sync: never"
    panel = window.panels["partners"]
    panel.new_record()
    for name, value in factories.partner().items():
        panel.editor.field_input(name).set_raw(value)
    panel.save()
    qtbot.waitUntil(lambda: status.pending.text() == "1 change waiting to sync")


def test_keyboard_shortcuts_switch_views(window: MainWindow, qtbot: QtBot) -> None:
    for number, (name, _label) in enumerate(VIEWS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_view() == name
        assert window.stack.currentWidget() is window.pages[name]
    window.show_view("sync")
    texts = " ".join(label.text() for label in window.sync_page.findChildren(QLabel))
    assert "not configured" in texts


def test_every_frequent_action_has_a_menu_entry_and_shortcut(window: MainWindow) -> None:
    expected = {
        "new": "Ctrl+N",
        "save": "Ctrl+S",
        "find": "Ctrl+F",
        "delete": "Del",
        "undo": "Ctrl+Z",
        "next": "Ctrl+Down",
        "previous": "Ctrl+Up",
    }
    menu_actions = {action for menu in window.actions.menus.values() for action in menu.actions()}
    for name, shortcut in expected.items():
        action = window.actions[name]
        assert action.shortcut().toString() == shortcut
        assert action in menu_actions
        assert action.text() and action.toolTip()


def test_geometry_and_last_view_come_back_after_restart(
    make_window: Callable[[], MainWindow], paths: Paths, qtbot: QtBot
) -> None:
    first = make_window()
    first.resize(790, 640)
    first.show_view("practices")
    first.close()
    assert (paths.data_dir / SETTINGS_FILE).exists()
    second = make_window()
    assert second.current_view() == "practices"
    assert second.stack.currentWidget() is second.pages["practices"]
    assert (second.width(), second.height()) == (790, 640)


def test_language_switch_retranslates_the_window(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    services.records("partners").create(factories.partner(country="SN"))
    panel = window.panels["partners"]
    panel.apply_query()
    country_column = panel.model.columns.index("country")
    assert panel.model.data(panel.model.index(0, country_column)) == "Senegal"
    window.show_view("settings")
    combo = window.settings_page.language
    combo.setCurrentIndex(combo.findData("fr"))
    try:
        # Country names come from CLDR, so they change whatever our catalogs hold.
        assert panel.model.data(panel.model.index(0, country_column)) == "Sénégal"
        assert panel.filters.combos["country"].findText("Sénégal") > 0
        editor_country = panel.editor.field_input("country")
        assert editor_country.combo.findText("Sénégal") > 0  # type: ignore[attr-defined]
        for row, (_name, label) in enumerate(VIEWS):
            assert window.navigation.item(row).text() == _(label)
        assert window.windowTitle() == _("Relay — 4 per 1000 Initiative")
        assert window.actions["new"].text() == _("&New record")
        assert window.settings.language == "fr"
        # Qt's own catalog follows: shortcuts read as a French keyboard labels them.
        assert (
            window.actions["delete"].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            == "Suppr"
        )
    finally:
        set_language("en")
    assert panel.model.data(panel.model.index(0, country_column)) == "Senegal"


def test_status_bar_shows_the_last_successful_sync(window: MainWindow, services: Services) -> None:
    from relay_app.sync.state import LAST_SUCCESS, write_state

    with services.database.write() as session:
        write_state(session, LAST_SUCCESS, "2026-03-10T17:45:00+00:00")
    window.status_panel.refresh()
    text = window.status_panel.last_sync.text()
    assert text.startswith("Last sync: ") and "never" not in text
    assert "3/10/26" in text
