"""Settings ▸ Data and backups: the data folder, Back up now, and Restore a backup (window restarts)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from relay_app.config import Paths, resolve_paths
from relay_app.services import Services, open_services
from relay_app.store.backups import check_backup, list_backups, take_backup
from relay_app.ui.main_window import MainWindow
from relay_app.ui.settings_data import DataSettings
from tests import factories
from tests.ui.app_driver import Script, drive_app, modal_of, shown_window


def answer_dialogs(answers: list[str]) -> list[str]:
    """Click, in order, each answer in the message box that offers it; returns what they said."""
    seen: list[str] = []
    pending = list(answers)

    def click() -> None:
        box = QApplication.activeModalWidget()
        if pending and isinstance(box, QMessageBox):
            buttons = {b.text().replace("&", ""): b for b in box.findChildren(QAbstractButton)}
            if pending[0] in buttons:
                seen.append(box.text())
                buttons[pending.pop(0)].click()
        if pending:
            QTimer.singleShot(10, click)

    QTimer.singleShot(0, click)
    return seen


def _click_row(qtbot: QtBot, section: DataSettings, row: int) -> None:
    item = section.list.item(row)
    qtbot.mouseClick(
        section.list.viewport(), Qt.MouseButton.LeftButton, pos=section.list.visualItemRect(item).center()
    )


def _open_settings(window: MainWindow, qtbot: QtBot) -> DataSettings:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "settings"
    section = window.settings_page.data
    assert isinstance(section, DataSettings)
    return section


def test_settings_show_the_data_folder_and_back_up_now(
    window: MainWindow, services: Services, paths: Paths, qtbot: QtBot
) -> None:
    """Ctrl+6: the data folder is shown with Open folder. "Back up now" (clicked) takes a backup on
    the database thread; the section then says where it was saved, lists it first, and the file is
    a sound Relay store of this device."""
    services.records("partners").create(factories.partner())
    section = _open_settings(window, qtbot)
    assert section.folder.text() == str(paths.data_dir) and section.folder.isVisible()
    assert section.open_button.isVisible() and section.open_button.text() == "&Open folder"
    before = list_backups(paths.backups)

    qtbot.mouseClick(section.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.status.text().startswith("Backup saved: "))
    [made] = [backup for backup in list_backups(paths.backups) if backup not in before]
    assert made.reason == "manual"
    assert section.status.text() == f"Backup saved: {made.path}"
    assert section.list.item(0).text().endswith("— made by hand")
    assert section.chosen() == made and section.restore_button.isEnabled()
    assert check_backup(made.path) == services.device_id


def test_restore_refused_while_a_record_is_being_edited(
    window: MainWindow, services: Services, paths: Paths, qtbot: QtBot
) -> None:
    """A record typed but not saved: confirming a restore says to save or discard it first, and
    the window stays open on the same store (nothing is restored, nothing is asked twice)."""
    take_backup(paths.database, "manual")
    panel = window.panels["partners"]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.editor.field_input("name").focus, "Typed, not saved")
    assert panel.has_unsaved_changes()
    section = _open_settings(window, qtbot)
    _click_row(qtbot, section, 0)

    said = answer_dialogs(["Close and restore", "OK"])
    qtbot.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(said) == 2)
    assert said[0].startswith("Restore the backup of ")
    assert said[1] == "A record is being edited. Save or discard it first, then restore the backup."
    assert window.isVisible() and window.restore_on_close is None
    assert not paths.set_aside.exists() or not any(paths.set_aside.iterdir())


def test_restore_a_backup_closes_the_window_and_reopens_on_the_restored_store(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """Through the real start-up. A backup holds one partner; a second was added after it. In
    Settings the person clicks the backup, "Restore a backup…", and confirms "Close and restore":
    the window closes, the backup is put in place with the store closed, and a new window opens on
    it, saying the backup was restored and where the replaced data is kept. The list shows the
    backup's partner only, and the replaced database lies in set-aside/ with the later partner."""
    paths = resolve_paths(tmp_path / "data")
    with open_services(paths) as services:
        services.records("partners").create(factories.partner(name="In the backup"))
        backup = take_backup(paths.database, "manual")
        services.records("partners").create(factories.partner(name="Added after"))
    seen: dict[str, object] = {}

    def script() -> Script:
        window = yield shown_window
        section = _open_settings_in(window)
        rows = [section.list.item(n).toolTip() for n in range(section.list.count())]
        row = rows.index(str(backup.path))
        item = section.list.item(row)
        QTest.mouseClick(
            section.list.viewport(), Qt.MouseButton.LeftButton, pos=section.list.visualItemRect(item).center()
        )
        seen["confirm"] = answer_dialogs(["Close and restore"])
        QTest.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
        seen["old"] = id(window)
        box = yield modal_of(QMessageBox)
        seen["said"] = box.text()
        reopened = shown_window()
        assert reopened is not None
        seen["new"] = id(reopened)
        panel = reopened.panels["partners"]
        seen["names"] = [panel.model.data(panel.model.index(n, 0)) for n in range(panel.model.rowCount())]
        box.accept()
        reopened.close()

    assert drive_app(paths, script) == 0
    confirm = seen["confirm"]
    assert isinstance(confirm, list) and confirm[0].startswith("Restore the backup of ")
    assert seen["new"] != seen["old"]
    [kept] = list(paths.set_aside.glob("*.sqlite3"))
    assert seen["said"] == (
        f"The backup of {_when(backup.taken_at)} was restored. The data it replaced is kept in {kept}."
    )
    assert seen["names"] == ["In the backup"]
    with open_services(resolve_paths(tmp_path / "data")) as services:
        assert [r.values["name"] for r in services.records("partners").list()] == ["In the backup"]


def _open_settings_in(window: MainWindow) -> DataSettings:
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    section = window.settings_page.data
    assert isinstance(section, DataSettings) and section.isVisible()
    return section


def _when(moment: object) -> str:
    from relay_app.formatting import format_datetime

    return format_datetime(moment)  # type: ignore[arg-type]
