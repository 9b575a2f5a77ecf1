"""The window of an encrypted store, driven with real keys and clicks: unlock, idle lock, Settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services import Services, open_services
from relay_app.store.encrypting import encrypt_store
from relay_app.store.encryption import unlock_with_passphrase
from relay_app.store.unlocked import StoreLocked, drop_all, held_key, is_encrypted
from relay_app.ui.main_window import MainWindow
from relay_app.ui.operations import wait_for_writer
from relay_app.ui.restore_restart import dispose
from relay_app.ui.settings_security import PassphraseDialog
from relay_app.ui.store_problem import open_or_ask
from relay_app.ui.unlock import UnlockDialog
from tests.factories import partner
from tests.security.conftest import PASSPHRASE, MemoryKeyring, files_holding
from tests.ui.person import turn_wheel
from tests.ui.test_store_problem import _when_shown

NAME = "Ferme Quetzalcoatlus"
IDLE_MS = 3_000  # a lock time whose half a busy machine can always look at in time


def _encrypted_store(paths: Paths) -> str:
    with open_services(paths) as services:
        record_id = services.records("partners").create(partner(name=NAME)).id
    encrypt_store(paths, PASSPHRASE)
    drop_all()
    return record_id


def _type_and_enter(qtbot: QtBot, dialog: UnlockDialog, text: str) -> None:
    qtbot.keyClicks(dialog.passphrase, text)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)


@pytest.fixture
def encrypted_window(paths: Paths, qtbot: QtBot) -> Iterator[tuple[MainWindow, Services]]:
    _encrypted_store(paths)
    unlock_with_passphrase(paths, PASSPHRASE)
    services = open_services(paths)
    window = MainWindow(services)
    window.show()
    qtbot.waitExposed(window)
    yield window, services
    wait_for_writer()
    window.idle_lock.set_minutes(0)
    if window.idle_lock.dialog is not None:
        window.idle_lock.dialog.done(1)
    window.close()
    dispose(window)
    services.close()


def test_at_start_the_unlock_dialog_refuses_a_wrong_passphrase_then_opens(paths: Paths, qtbot: QtBot) -> None:
    record_id = _encrypted_store(paths)
    messages: list[str] = []

    def unlock(dialog: UnlockDialog) -> None:
        _type_and_enter(qtbot, dialog, "not it")
        qtbot.waitUntil(lambda: "Wrong passphrase" in dialog.message.text())
        messages.append(dialog.message.text())
        assert dialog.passphrase.text() == "" and dialog.isVisible()
        _type_and_enter(qtbot, dialog, PASSPHRASE)

    seen = _when_shown(UnlockDialog, unlock)
    opened = open_or_ask(paths)
    assert seen and messages, "the unlock dialog was not shown"
    assert opened is not None
    with opened[1] as services:
        assert services.records("partners").get(record_id).values["name"] == NAME


def test_quitting_the_unlock_dialog_opens_nothing(paths: Paths, qtbot: QtBot) -> None:
    _encrypted_store(paths)
    before = paths.database.read_bytes()
    _when_shown(UnlockDialog, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    assert open_or_ask(paths) is None
    assert paths.database.read_bytes() == before and held_key(paths.data_dir) is None


def test_the_window_locks_when_idle_and_opens_again_with_the_passphrase(
    encrypted_window: tuple[MainWindow, Services], qtbot: QtBot
) -> None:
    window, services = encrypted_window
    lock = window.idle_lock
    lock.set_interval_ms(300)
    qtbot.waitUntil(lambda: lock.is_locked)
    assert lock.cover is not None and lock.cover.isVisible()
    assert lock.cover.geometry() == window.rect()  # the records are hidden behind it
    assert held_key(services.paths.data_dir) is None
    with pytest.raises(StoreLocked):
        services.records("partners").list()
    window.status_panel.refresh()  # its timer keeps ticking while locked: no error, no read
    assert window.sync_page.runner.tick() is False  # nor does the automatic sync run

    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    _type_and_enter(qtbot, dialog, "wrong")
    qtbot.waitUntil(lambda: "Wrong passphrase" in dialog.message.text())
    assert lock.is_locked
    _type_and_enter(qtbot, dialog, PASSPHRASE)
    qtbot.waitUntil(lambda: not lock.is_locked)
    assert lock.cover is None
    assert [record.values["name"] for record in services.records("partners").list()] == [NAME]


def test_typing_keeps_the_window_unlocked(
    encrypted_window: tuple[MainWindow, Services], qtbot: QtBot
) -> None:
    """Each key starts the countdown again, read from the countdown itself: keys every 100 ms
    against a 400 ms lock failed whenever a busy machine woke the test 300 ms late."""
    window, _services = encrypted_window
    lock = window.idle_lock
    lock.set_interval_ms(IDLE_MS)
    for _ in range(3):  # three half-spells without use: longer than the lock time, all told
        qtbot.waitUntil(lambda: lock.timer.remainingTime() < IDLE_MS // 2)
        qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
        assert lock.timer.remainingTime() > IDLE_MS // 2  # started again by the key
        assert not lock.is_locked
    qtbot.waitUntil(lambda: lock.is_locked)


def _fill(qtbot: QtBot, dialog, current: str | None, new: str) -> None:  # type: ignore[no-untyped-def]
    if current is not None:
        qtbot.keyClicks(dialog.current, current)
    qtbot.keyClicks(dialog.new, new)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # not until typed twice
    qtbot.keyClicks(dialog.again, new)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_settings_encrypt_the_open_store_then_change_its_passphrase(
    make_window, services: Services, qtbot: QtBot  # type: ignore[no-untyped-def]
) -> None:
    record_id = services.records("partners").create(partner(name=NAME)).id
    window = make_window()
    window.show_view("settings")
    section = window.security_settings
    assert section.encrypt_button.isVisible() and not section.change_button.isVisible()
    assert not window.idle_lock.timer.isActive()  # a clear store never locks

    _fill(qtbot, section.ask_encrypt(), None, PASSPHRASE)
    qtbot.waitUntil(lambda: section.operation is None and is_encrypted(services.paths), timeout=30_000)
    assert "encrypted" in section.status.text()
    assert section.change_button.isVisible() and not section.encrypt_button.isVisible()
    assert window.idle_lock.timer.isActive()  # from now on the window locks when idle
    assert services.records("partners").get(record_id).values["name"] == NAME  # the same window goes on
    services.records("partners").update(record_id, {"city": "Nantes"})
    data_dir: Path = services.paths.data_dir
    assert files_holding(data_dir, ("Quetzalcoatlus",)) == []

    _fill(qtbot, section.ask_change(), "wrong", "deuxieme phrase")
    qtbot.waitUntil(lambda: section.operation is None and "Wrong passphrase" in section.status.text(),
                    timeout=30_000)
    assert section.change_button.isEnabled()
    qtbot.mouseClick(section.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PassphraseDialog))
    dialog = QApplication.activeModalWidget()
    _fill(qtbot, dialog, PASSPHRASE, "deuxieme phrase")
    qtbot.waitUntil(lambda: section.status.text() == "The passphrase is changed.", timeout=30_000)
    drop_all()
    unlock_with_passphrase(services.paths, "deuxieme phrase")


def test_remember_on_this_computer_opens_the_next_start_without_asking(
    paths: Paths, qtbot: QtBot, os_keyring: MemoryKeyring
) -> None:
    _encrypted_store(paths)

    def unlock_and_remember(dialog: UnlockDialog) -> None:
        assert dialog.remember.isEnabled()
        qtbot.keyClick(dialog.remember, Qt.Key.Key_Space)
        assert dialog.remember.isChecked()
        _type_and_enter(qtbot, dialog, PASSPHRASE)

    assert _when_shown(UnlockDialog, unlock_and_remember) is not None
    opened = open_or_ask(paths)
    assert opened is not None
    opened[1].close()
    assert len(os_keyring.values) == 1

    drop_all()  # the next start: no dialog, the keyring opens it
    shown = _when_shown(UnlockDialog, lambda dialog: dialog.reject())
    opened = open_or_ask(paths)
    assert opened is not None and shown == []
    opened[1].close()


def test_a_wheel_passing_over_the_lock_time_leaves_it_as_it_was(
    encrypted_window: tuple[MainWindow, Services], qtbot: QtBot
) -> None:
    """Scrolling Settings with the wheel over "Lock after", not clicked first, changes nothing;
    clicked (focused), the wheel sets it as usual."""
    window, _services = encrypted_window
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    minutes = window.security_settings.lock_minutes
    qtbot.waitUntil(minutes.isVisible)
    assert minutes.isEnabled()
    before = minutes.value()
    turn_wheel(minutes, 3)
    assert minutes.value() == before and not minutes.hasFocus()
    minutes.setFocus(Qt.FocusReason.MouseFocusReason)
    turn_wheel(minutes, -1)  # up: one more minute
    assert minutes.value() == before + 1
