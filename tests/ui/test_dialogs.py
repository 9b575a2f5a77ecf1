"""Each dialog of the window has its primary action as the default button (what Enter presses).

The dialogs are opened the way a person opens them, with keys in the shown main window; each
message box is looked at while open and closed with its escape button (``watching_dialogs``).
A delete confirmation is the one place where the safe choice (Keep) is the default: Enter never
deletes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.services.test_record_files import DAKAR, with_exif
from tests.ui.dialog_log import default_button, watching_dialogs
from tests.ui.person import activate, key_target, press, type_keys

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def test_message_boxes_default_to_their_primary_action(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    services.records("partners").create(factories.partner())
    window.changes.records_changed.emit("partners")
    window.show_view("partners")
    activate(window, qtbot)
    window.panels["partners"].table.setFocus()
    window.panels["partners"].table.selectRow(0)
    with watching_dialogs() as dialogs:
        press(Key.Key_Delete)
        activate(window, qtbot)
        press(Key.Key_N, CTRL)
        type_keys("Acme")
        press(Key.Key_N, CTRL)
        window.panels["partners"].editor.discard()
    # About is a dialog of its own now, with Close as its default (tests/ui/test_help.py).
    assert [seen.default for seen in dialogs.seen] == ["Keep", "Save"], dialogs.seen


def test_the_photo_position_question_defaults_to_using_it(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    record = services.records("practices").create(
        factories.practice(latitude=None, longitude=None)
    )
    panel = window.panels["practices"]
    window.changes.records_changed.emit("practices")
    window.show_view("practices")
    panel.select(record.id)
    panel.edit_selected()
    photo = QImage(60, 40, QImage.Format.Format_RGB32)
    photo.fill(QColor("#33691e"))
    assert photo.save(str(tmp_path / "plain.jpg"))
    geotagged = tmp_path / "geotagged.jpg"
    geotagged.write_bytes(with_exif((tmp_path / "plain.jpg").read_bytes(), DAKAR))
    box = panel.editor.file_boxes["photo"]
    with watching_dialogs() as dialogs, qtbot.waitSignal(box.location_found):
        box.add_files([geotagged])
    assert [seen.default for seen in dialogs.seen] == ["Yes"], dialogs.seen


def test_the_walk_in_dialog_defaults_to_save_and_enter_in_a_field_moves_on(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Check-in desk, Ctrl+N: the walk-in opens; a first name and Enter go to the last name."""
    services.records("forums").create(factories.forum())
    window.changes.records_changed.emit("forums")
    window.show_view("forums")
    desk = window.forums_page.desk
    window.forums_page.setCurrentWidget(desk)
    activate(window, qtbot)
    desk.search.setFocus()
    press(Key.Key_N, CTRL)
    dialog = desk._walk_in
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: key_target() is dialog.editor.field_input("first_name").focus)
    assert default_button(dialog) is dialog.editor.save_button
    type_keys("Awa")
    with watching_dialogs() as dialogs:
        press(Key.Key_Return)
    assert dialogs.seen == []  # not "Save them before leaving?"
    assert dialog.isVisible()
    assert key_target() is dialog.editor.field_input("last_name").focus
    assert dialog.editor.field_input("first_name").raw() == "Awa"
    dialog.editor.discard()
    dialog.reject()
