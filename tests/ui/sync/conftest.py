"""A real central server on 127.0.0.1 for the Sync view, and a window enrolled with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.sync.connect import enroll_device
from relay_app.sync.progress import SyncSummary
from relay_app.ui.main_window import MainWindow
from tests.central.harness import Central
from tests.sync.conftest import (  # noqa: F401  (fixtures, used by name)
    REGIONS,
    central,
    file_token_store,
    make_relay,
    start_central,
)

SYNC_SECONDS = 30


@pytest.fixture
def enrolled_window(
    window: MainWindow, services: Services, paths: Paths, central: Central  # noqa: F811
) -> MainWindow:
    """The window of a device enrolled with ``central`` (enrolment itself is tested through the view)."""
    enroll_device(services.database, paths.data_dir, central.url, central.relay(REGIONS), "laptop")
    window.sync_page.refresh()
    window.show_view("sync")
    return window


def press_sync_now(qtbot: QtBot, window: MainWindow) -> SyncSummary:
    """Press F5 and wait for the run to end; returns the summary it reported."""
    with qtbot.waitSignal(window.sync_page.runner.finished, timeout=SYNC_SECONDS * 1000) as ended:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    summary: SyncSummary = ended.args[0]
    return summary
