"""The first-run welcome, through the real start-up (``run_app``) on real data folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from relay_app.config import Paths, resolve_paths
from relay_app.services import open_services
from relay_app.ui.settings import UiSettings
from relay_app.ui.welcome import WelcomeDialog
from tests import factories
from tests.ui.app_driver import Script, drive_app, modal_of, shown_window


def test_a_fresh_store_is_welcomed_once_and_start_offline_closes_the_welcome(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """Started twice on a new data folder: the first start shows the welcome over the window,
    which says what Relay is for and offers both ways; "Start offline" (Alt+S) closes it and leaves
    the window on its lists. The second start shows no welcome."""
    paths = resolve_paths(tmp_path / "data")
    seen: dict[str, object] = {}

    def first_start() -> Script:
        welcome = yield modal_of(WelcomeDialog)
        seen["purpose"] = welcome.purpose.text()
        seen["buttons"] = [welcome.enrol_button.text(), welcome.offline_button.text()]
        seen["visible"] = welcome.enrol_button.isVisible() and welcome.offline_button.isVisible()
        QTest.keyClick(welcome, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        yield lambda: modal_of(WelcomeDialog)() is None
        window = shown_window()
        assert window is not None
        seen["view"] = window.current_view()
        window.close()

    assert drive_app(paths, first_start) == 0
    assert "4 per 1000 Initiative" in str(seen["purpose"]) and "syncs" in str(seen["purpose"])
    assert seen["buttons"] == ["&Enrol this device…", "&Start offline"] and seen["visible"]
    assert seen["view"] == "partners"
    assert UiSettings(paths).welcome_shown

    def second_start() -> Script:
        window = yield shown_window
        QTest.qWait(200)  # time enough for a welcome to open, were one coming
        seen["second"] = modal_of(WelcomeDialog)()
        window.close()

    assert drive_app(paths, second_start) == 0
    assert seen["second"] is None


def test_a_store_with_records_is_not_welcomed(tmp_path: Path, qtbot: QtBot) -> None:
    """A data folder that already holds records (made by the CLI or an import) is no first run,
    even though its window never showed the welcome."""
    paths: Paths = resolve_paths(tmp_path / "data")
    with open_services(paths) as services:
        services.records("partners").create(factories.partner())
    seen: dict[str, object] = {}

    def start() -> Script:
        window = yield shown_window
        QTest.qWait(200)
        seen["welcome"] = modal_of(WelcomeDialog)()
        window.close()

    assert drive_app(paths, start) == 0
    assert seen["welcome"] is None
    assert not UiSettings(paths).welcome_shown
