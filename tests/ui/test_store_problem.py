"""The start-up window for a store that cannot be opened, driven with real clicks and keys.

Before, an emptied or damaged database at start-up gave no window at all (or a new, empty store);
here the real dialog appears, says what is wrong in words, and each of its ways on is taken.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from relay_app.config import Paths, resolve_paths
from relay_app.services import open_services
from relay_app.store.backups import take_backup
from relay_app.ui.store_problem import StoreProblemDialog, open_or_ask
from tests.factories import partner

GARBAGE = b"this used to be a database " * 200


def _store_with_a_partner(paths: Paths) -> tuple[str, str]:
    with open_services(paths) as services:
        return services.device_id, services.records("partners").create(partner(name="Sols vivants")).id


def _when_shown(kind: type, act: Callable[..., None]) -> list[object]:
    """Once a modal ``kind`` is on screen, run ``act(widget)``; returns the widgets seen."""
    seen: list[object] = []
    tries = [0]

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            tries[0] += 1
            if tries[0] < 500:
                QTimer.singleShot(10, look)
            return
        seen.append(widget)
        act(widget)

    QTimer.singleShot(0, look)
    return seen


def test_restore_button_puts_the_latest_backup_back_and_opens_the_store(paths: Paths, qtbot: QtBot) -> None:
    device_id, partner_id = _store_with_a_partner(paths)
    backup = take_backup(paths.database, "manual")
    paths.database.write_bytes(GARBAGE)
    texts: list[str] = []

    def click_restore(dialog: StoreProblemDialog) -> None:
        texts.extend([dialog.heading.text(), dialog.details.text()])
        assert dialog.restore_button.isEnabled()
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(StoreProblemDialog, click_restore)
    opened = open_or_ask(paths)

    assert len(seen) == 1
    assert "is damaged: it is not an SQLite database" in texts[0]
    assert str(backup.path) in texts[1] and "relay-app db restore --latest" in texts[1]
    assert opened is not None
    opened_paths, services = opened
    with services:
        assert opened_paths == paths
        assert services.device_id == device_id
        assert services.records("partners").get(partner_id).values["name"] == "Sols vivants"
    (kept,) = paths.set_aside.glob("relay-*.sqlite3")
    assert kept.read_bytes() == GARBAGE


def test_escape_quits_and_leaves_the_damaged_file_alone(paths: Paths, qtbot: QtBot) -> None:
    _store_with_a_partner(paths)
    take_backup(paths.database, "manual")
    paths.database.write_bytes(b"")

    seen = _when_shown(StoreProblemDialog, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    opened = open_or_ask(paths)

    assert opened is None and len(seen) == 1
    assert "is empty" in seen[0].heading.text()  # type: ignore[attr-defined]
    assert paths.database.read_bytes() == b""
    assert not paths.set_aside.exists()


def test_without_a_backup_restore_is_not_offered_and_quit_quits(paths: Paths, qtbot: QtBot) -> None:
    _store_with_a_partner(paths)
    paths.database.unlink()

    def check_then_quit(dialog: StoreProblemDialog) -> None:
        assert not dialog.restore_button.isEnabled()
        assert "no backup" in dialog.details.text()
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(StoreProblemDialog, check_then_quit)
    assert open_or_ask(paths) is None
    assert len(seen) == 1 and "is missing" in seen[0].heading.text()  # type: ignore[attr-defined]
    assert not paths.database.exists()


def test_open_another_data_folder_opens_the_store_there(paths: Paths, qtbot: QtBot, tmp_path: Path) -> None:
    _store_with_a_partner(paths)
    paths.database.write_bytes(GARBAGE)
    elsewhere = resolve_paths(tmp_path / "other")
    other_device, _partner = _store_with_a_partner(elsewhere)

    def type_the_folder(chooser: QFileDialog) -> None:
        name = chooser.findChild(QLineEdit, "fileNameEdit")
        name.clear()
        qtbot.keyClicks(name, elsewhere.data_dir.name)  # the chooser starts beside the data folder
        qtbot.keyClick(name, Qt.Key.Key_Return)

    choosers = _when_shown(QFileDialog, type_the_folder)
    seen = _when_shown(
        StoreProblemDialog, lambda dialog: qtbot.mouseClick(dialog.other_button, Qt.MouseButton.LeftButton)
    )
    opened = open_or_ask(paths)

    assert len(seen) == 1 and len(choosers) == 1
    assert opened is not None
    opened_paths, services = opened
    with services:
        assert opened_paths.data_dir == elsewhere.data_dir
        assert services.device_id == other_device
    assert paths.database.read_bytes() == GARBAGE


def test_a_folder_without_relay_data_is_opened_only_once_confirmed(
    paths: Paths, qtbot: QtBot, tmp_path: Path
) -> None:
    """A folder picked by mistake is not filled with a new store unless the person says so."""
    _store_with_a_partner(paths)
    paths.database.write_bytes(b"")
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    answers = iter(["Cancel", "Start a new store"])
    problem_dialogs: list[StoreProblemDialog] = []

    def choose(chooser: QFileDialog) -> None:
        name = chooser.findChild(QLineEdit, "fileNameEdit")
        name.clear()
        qtbot.keyClicks(name, empty.name)
        qtbot.keyClick(name, Qt.Key.Key_Return)

    def answer(box: QMessageBox) -> None:
        wanted = next(answers)
        (button,) = [b for b in box.buttons() if b.text().replace("&", "") == wanted]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        if wanted == "Cancel":  # back in the problem window, with nothing made: choose again
            QTimer.singleShot(50, lambda: open_other(problem_dialogs[0]))

    def open_other(dialog: StoreProblemDialog) -> None:
        assert dialog.isVisible() and not (empty / "relay.sqlite3").exists()
        if not problem_dialogs:
            problem_dialogs.append(dialog)
        _when_shown(QFileDialog, choose)
        _when_shown(QMessageBox, answer)
        qtbot.mouseClick(dialog.other_button, Qt.MouseButton.LeftButton)

    _when_shown(StoreProblemDialog, open_other)
    opened = open_or_ask(paths)

    assert opened is not None and len(problem_dialogs) == 1
    opened_paths, services = opened
    services.close()
    assert next(answers, None) is None  # both questions were asked and answered
    assert opened_paths.data_dir == empty.resolve()
    assert (empty / "relay.sqlite3").exists()
    assert paths.database.read_bytes() == b""
