"""Help: the keyboard shortcuts sheet (F1), and About with versions, folders, the log file and Copy."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from relay_app import __version__
from relay_app.config import resolve_paths
from relay_app.i18n import set_language
from relay_app.log_file import LOG_FILE
from relay_app.store.migrate import head_revision
from relay_app.sync.wire import PROTOCOL_VERSION
from relay_app.ui.about import AboutDialog
from relay_app.ui.help import ShortcutsSheet, plain
from relay_app.ui.main_window import MainWindow
from tests.ui.app_driver import Script, drive_app, modal_of, shown_window


def _window_shortcuts(window: MainWindow) -> set[tuple[str, str]]:
    """Every action of the window that has a shortcut, read from the window itself."""
    return {
        (plain(action.text()), action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
        for action in QWidget.actions(window)
        if not action.shortcut().isEmpty()
    }


def test_f1_lists_every_shortcut_of_the_window_and_follows_the_language(
    window: MainWindow, qtbot: QtBot
) -> None:
    """F1 pressed on the window opens the sheet; its rows are exactly the window's actions that
    have a shortcut (menu actions and the Sync page's F5 alike), so an action added later is listed
    without anyone editing the sheet. In French the rows and Qt's key names are French; Escape
    closes it."""
    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutsSheet)
    assert sheet is not None
    qtbot.waitUntil(sheet.isVisible)
    rows = sheet.rows()
    assert set(rows) == _window_shortcuts(window)
    assert len(rows) == len(set(rows))  # each once, though menu actions are window actions too
    for expected in [
        ("New record", "Ctrl+N"),
        ("Sync now", "F5"),
        ("Sync files now", "Ctrl+Shift+F5"),
        ("Keyboard shortcuts", "F1"),
        ("Delete record", "Del"),
    ]:
        assert expected in rows
    sections = [sheet.tree.topLevelItem(n).text(0) for n in range(sheet.tree.topLevelItemCount())]
    assert sections == ["File", "Edit", "Go", "Help"]

    set_language("fr")
    try:
        french = dict(sheet.rows())
        assert french[plain(window.actions["delete"].text())] == "Suppr"
        assert window.actions["delete"].text() != "&Delete record"  # the French catalog is there
    finally:
        set_language("en")

    sheet.activateWindow()
    qtbot.waitUntil(sheet.isActiveWindow)
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    window.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)  # F1 again brings the same sheet back
    assert window.findChildren(ShortcutsSheet) == [sheet] and sheet.isVisible()


def test_about_from_the_help_menu_gives_versions_folders_and_log_file_and_copies_them(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """Through the real start-up: Alt+H opens the Help menu, A chooses About. It shows Relay's,
    Python's, Qt's, PySide6's and SQLAlchemy's versions, the database's schema revision, the sync
    protocol, the data folder and the log file, which exists and notes this start. Copy (clicked)
    puts all of it on the clipboard as plain text."""
    import platform

    import PySide6

    paths = resolve_paths(tmp_path / "data")
    seen: dict[str, object] = {}

    def script() -> Script:
        window = yield shown_window
        welcome = QApplication.activeModalWidget()
        if welcome is not None:  # a fresh store is welcomed first
            QTest.keyClick(welcome, Qt.Key.Key_Escape)
        window.activateWindow()
        yield window.isActiveWindow
        QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
        menu = yield lambda: isinstance(QApplication.activePopupWidget(), QMenu)
        QTest.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_A)
        about = yield modal_of(AboutDialog)
        seen["values"] = {label: shown.text() for label, shown in about.values.items()}
        QTest.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
        seen["clipboard"] = QApplication.clipboard().text()
        seen["copied"] = about.copied.text()
        QTest.mouseClick(about.close_button, Qt.MouseButton.LeftButton)
        del menu
        window.close()

    assert drive_app(paths, script) == 0
    values = seen["values"]
    assert isinstance(values, dict)
    assert values["Relay"] == __version__
    assert values["Python"] == platform.python_version()
    assert values["Qt"] == qVersion()
    assert values["PySide6"] == PySide6.__version__
    assert values["SQLAlchemy"] == sqlalchemy.__version__
    assert values["Database schema revision"] == head_revision()
    assert values["Sync protocol"] == str(PROTOCOL_VERSION)
    assert values["Data folder"] == str(paths.data_dir)
    log = Path(values["Log file"])
    assert log == paths.data_dir / "logs" / LOG_FILE
    assert f"Relay {__version__} started" in log.read_text(encoding="utf-8")
    clipboard = str(seen["clipboard"])
    for label, value in values.items():
        assert f"{label}: {value}" in clipboard
    assert seen["copied"].startswith("Copied.")  # type: ignore[union-attr]
