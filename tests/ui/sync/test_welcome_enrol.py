"""From the first-run welcome to a synced list, against a real central server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from relay_app.ui.welcome import offer_welcome
from tests.central.harness import Central
from tests.sync.conftest import REGIONS, Relay
from tests.sync.records import partner
from tests.ui.sync.conftest import SYNC_SECONDS


def test_enrol_from_the_welcome_then_a_first_sync_fills_the_lists(
    window: MainWindow,
    services: Services,
    qtbot: QtBot,
    central: Central,
    make_relay: Callable[..., Relay],
) -> None:
    """Another relay has put a partner on the server. On a fresh device the welcome's "Enrol this
    device…" leads to the Sync page's form with the server address focused; typing the address and
    code and pressing Enter enrols, and a first sync starts by itself and brings the partner."""
    other = make_relay("other")
    record_id = other.services.records("partners").create(partner(1)).id
    assert other.sync().in_sync
    panel = window.panels["partners"]
    assert panel.model.rowCount() == 0

    welcome = offer_welcome(window, services)
    assert welcome is not None
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is welcome)
    qtbot.mouseClick(welcome.enrol_button, Qt.MouseButton.LeftButton)
    form = window.sync_page.enrol_box
    assert window.current_view() == "sync"
    qtbot.waitUntil(lambda: form.server_url.hasFocus())

    qtbot.keyClicks(QApplication.focusWidget(), central.url)
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    assert form.code.hasFocus()
    qtbot.keyClicks(form.code, central.relay(REGIONS))
    with qtbot.waitSignal(window.sync_page.runner.finished, timeout=SYNC_SECONDS * 1000) as ended:
        qtbot.keyClick(form.code, Qt.Key.Key_Return)
    assert ended.args[0].in_sync and ended.args[0].pulled >= 1
    assert panel.model.row_of(record_id) is not None
    assert window.settings.welcome_shown
