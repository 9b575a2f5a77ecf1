"""The window takes a backup before a sync: always for a person's, at most hourly for the timer's.

A real sync of an enrolled window against the real central server on 127.0.0.1; then the backups
folder is listed.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.store.backups import list_backups
from relay_app.ui.main_window import MainWindow
from tests.factories import partner
from tests.ui.sync.conftest import SYNC_SECONDS, press_sync_now


def test_sync_now_takes_a_backup_and_the_timer_does_not_repeat_it_within_the_hour(
    enrolled_window: MainWindow, services: Services, paths: Paths, qtbot: QtBot
) -> None:
    services.records("partners").create(partner())
    before = list_backups(paths.backups)

    summary = press_sync_now(qtbot, enrolled_window)

    assert summary.pushed == 1
    after_person = list_backups(paths.backups)
    assert [b.reason for b in after_person if b not in before] == ["sync"]

    runner = enrolled_window.sync_page.runner
    with qtbot.waitSignal(runner.finished, timeout=SYNC_SECONDS * 1000):
        assert runner.tick()
    assert list_backups(paths.backups) == after_person
