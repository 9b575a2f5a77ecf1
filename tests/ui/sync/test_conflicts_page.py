"""A conflict made by two relays appears in the Conflicts view; a decision syncs like any change."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.sync.conflicts import ConflictService
from relay_app.ui.main_window import MainWindow
from tests.sync.conftest import Relay
from tests.sync.records import partner
from tests.ui.sync.conftest import press_sync_now


def _clash(
    window: MainWindow, services: Services, qtbot: QtBot, make_relay: Callable[..., Relay]
) -> tuple[Relay, str]:
    """The window's device and another relay both change the same partner's city."""
    record_id = services.records("partners").create(partner(1)).id
    assert press_sync_now(qtbot, window).in_sync
    other = make_relay("other")
    assert other.sync().in_sync
    other.services.records("partners").update(record_id, {"city": "Sète"})
    assert other.sync().in_sync
    services.records("partners").update(record_id, {"city": "Nîmes"})
    clashed = press_sync_now(qtbot, window)
    assert clashed.conflicts == 1 and not clashed.in_sync
    return other, record_id


def test_keep_mine_resolves_the_conflict_and_it_syncs(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    window, page = enrolled_window, enrolled_window.sync_page
    other, record_id = _clash(window, services, qtbot, make_relay)
    conflicts = page.conflicts

    assert conflicts.list.count() == 1
    assert "City" in conflicts.list.item(0).text()
    assert (conflicts.mine.toPlainText(), conflicts.theirs.toPlainText()) == ("Nîmes", "Sète")
    assert page.tabs.tabText(2) == "Conflicts (1)"
    assert page.result.text() == "1 conflict waits for your decision."

    page.tabs.setCurrentWidget(conflicts)
    with qtbot.waitSignal(conflicts.resolved):
        qtbot.mouseClick(conflicts.keep_mine, Qt.MouseButton.LeftButton)
    assert conflicts.list.count() == 0 and page.tabs.tabText(2) == "Conflicts"
    assert ConflictService(services.database).count() == 0
    assert [row.record_id for row in page.outbox.rows] == [record_id]  # the decision waits to sync

    assert press_sync_now(qtbot, window).in_sync
    assert page.outbox.rowCount() == 0
    assert other.sync().in_sync
    assert other.services.records("partners").get(record_id).values["city"] == "Nîmes"


def test_a_merged_value_is_kept_on_both_relays(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    window, page = enrolled_window, enrolled_window.sync_page
    other, record_id = _clash(window, services, qtbot, make_relay)
    conflicts = page.conflicts

    conflicts.merged.setPlainText("Nîmes et Sète")
    with qtbot.waitSignal(conflicts.resolved):
        qtbot.mouseClick(conflicts.use_merged, Qt.MouseButton.LeftButton)
    assert services.records("partners").get(record_id).values["city"] == "Nîmes et Sète"

    assert press_sync_now(qtbot, window).in_sync
    assert other.sync().in_sync
    assert other.services.records("partners").get(record_id).values["city"] == "Nîmes et Sète"
