"""Cancel undoes everything the editor changed, its files included, after the usual question.

A practice is opened with F2 in the shown window, a photo is added (as the Add… file dialog
or a drop would) or removed with Del, and the editor is left with Escape.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.files import RecordFilesBox
from relay_app.ui.main_window import MainWindow
from relay_app.ui.records.panel import RecordPanel
from tests import factories
from tests.ui.dialog_log import watching_dialogs
from tests.ui.person import activate, press

Key = Qt.Key


def _editing_a_practice(window: MainWindow, services: Services, qtbot: QtBot) -> RecordPanel:
    services.records("practices").create(factories.practice())
    window.changes.records_changed.emit("practices")
    window.show_view("practices")
    panel = window.panels["practices"]
    activate(window, qtbot)
    panel.table.setFocus()
    panel.table.selectRow(0)
    press(Key.Key_F2)
    assert panel.is_editing() and not panel.editor.is_dirty()
    return panel


def _add_photo(qtbot: QtBot, box: RecordFilesBox, folder: Path) -> None:
    photo = QImage(40, 30, QImage.Format.Format_RGB32)
    photo.fill(QColor("#33691e"))
    assert photo.save(str(folder / "field.jpg"))
    with qtbot.waitSignal(box.files_changed):
        box.add_files([folder / "field.jpg"])


def _photos(services: Services, panel: RecordPanel) -> list[str]:
    box = panel.editor.file_boxes["photo"]
    assert panel.editor.record_id is not None
    return [file.filename or "" for file in box.service.list("practices", panel.editor.record_id)]


def test_an_added_photo_makes_cancel_ask_and_discard_removes_it(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    panel = _editing_a_practice(window, services, qtbot)
    box = panel.editor.file_boxes["photo"]
    _add_photo(qtbot, box, tmp_path)
    assert _photos(services, panel) == ["field.jpg"]
    assert panel.editor.is_dirty()
    activate(window, qtbot)  # a slow addition shows a progress dialog, which takes activation
    panel.editor.field_input("title").focus.setFocus()
    with watching_dialogs(answer="Cancel") as dialogs:
        press(Key.Key_Escape)
    assert ["unsaved changes" in text for text in dialogs.texts()] == [True]
    assert panel.is_editing() and _photos(services, panel) == ["field.jpg"]
    activate(window, qtbot)
    with watching_dialogs(answer="Discard changes") as dialogs, qtbot.waitSignal(box.files_changed):
        press(Key.Key_Escape)
    assert len(dialogs.seen) == 1
    assert not panel.is_editing()
    panel.edit_selected()
    assert _photos(services, panel) == []
    assert box.grid.count() == 0 and not panel.editor.is_dirty()


def test_a_removed_photo_comes_back_on_discard_and_a_saved_one_stays(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    panel = _editing_a_practice(window, services, qtbot)
    box = panel.editor.file_boxes["photo"]
    _add_photo(qtbot, box, tmp_path)
    activate(window, qtbot)
    press(Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not panel.is_editing())
    press(Key.Key_F2)
    assert _photos(services, panel) == ["field.jpg"] and not panel.editor.is_dirty()
    box.grid.setFocus()
    box.grid.item(0).setSelected(True)
    with qtbot.waitSignal(box.files_changed):
        press(Key.Key_Delete)
    assert _photos(services, panel) == [] and panel.editor.is_dirty()
    with watching_dialogs(answer="Discard changes") as dialogs, qtbot.waitSignal(box.files_changed):
        press(Key.Key_Escape)
    assert len(dialogs.seen) == 1
    panel.edit_selected()
    assert _photos(services, panel) == ["field.jpg"]
