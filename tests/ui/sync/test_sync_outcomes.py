"""What the Sync page and the status bar say a run did: a server lost mid-push, conflicts decided."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.sync.credentials import TokenStore, token_key
from relay_app.sync.progress import Phase, SyncProgress
from relay_app.sync.state import SERVER_ID, SERVER_URL, read_state, write_state
from relay_app.ui.main_window import MainWindow
from relay_app.ui.sync.display import format_bytes
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import partner
from tests.ui.sync.conftest import SYNC_SECONDS, press_sync_now

CHANGES = 300


def test_a_server_gone_mid_push_is_said_and_the_summary_counts_what_got_through(
    enrolled_window: MainWindow, services: Services, qtbot: QtBot, central: Central
) -> None:
    """300 new partners go out through a real TCP proxy; F5 starts the run and the proxy is shut
    once the first batch has its receipt (the server went away). While the run tries again the
    page says so, not "Sending changes: 100 of 300"; once it gives up the page says it did not
    finish, the data counts the bytes really moved, and the result says how many changes reached
    the server and how many wait, matching the server and the outbox."""
    window, page = enrolled_window, enrolled_window.sync_page
    records = services.records("partners")
    for number in range(CHANGES):
        records.create(partner(number))
    shown_while_retrying: list[tuple[str, bool]] = []

    with FaultProxy(central.server.port, Faults(latency=0.01)) as proxy:
        with services.database.write() as session:
            write_state(session, SERVER_URL, proxy.url)  # the enrolled server, through the proxy
        page.refresh()

        def server_goes(step: SyncProgress) -> None:
            # On the run's own thread, before it sends the next batch: a slot on the window's
            # thread may come only after the run has sent everything, on a busy machine.
            if step.phase is Phase.PUSHED and step.done:
                proxy.stop()

        def watch(step: SyncProgress) -> None:  # runs after the page's own slot
            if step.phase is Phase.RETRYING:
                shown_while_retrying.append((page.phase.text(), page.cancel_button.isEnabled()))

        page.runner.progressed.connect(server_goes, Qt.ConnectionType.DirectConnection)
        page.runner.progressed.connect(watch)
        with qtbot.waitSignal(page.runner.failed, timeout=SYNC_SECONDS * 1000) as failed:
            qtbot.keyClick(window, Qt.Key.Key_F5)
        page.runner.progressed.disconnect(watch)
        page.runner.progressed.disconnect(server_goes)

    assert failed.args[1] == "offline"
    assert shown_while_retrying, "the run never said it was trying again"
    phase_text, cancel_enabled = shown_while_retrying[0]
    assert phase_text.startswith("Connection trouble; trying again (attempt ") and cancel_enabled

    with central.database.reading() as session:
        delivered = session.scalar(select(func.count()).select_from(Record)) or 0
    waiting = services.status().pending_changes
    assert 0 < delivered < CHANGES and delivered + waiting == CHANGES
    [run] = page.history.rows
    assert run.pushed == delivered and run.bytes_sent > 0
    assert page.phase.text() == "Not finished"
    assert page.traffic.text() == (
        f"Data sent: {format_bytes(run.bytes_sent)}; received: {format_bytes(run.bytes_received)}"
    )
    result = page.result.text()
    assert "could not be reached" in result
    assert f"{delivered} changes reached the server before the sync stopped." in result
    assert f"{waiting} changes wait to be sent with the next sync." in result
    assert page.sync_button.isEnabled() and not page.cancel_button.isEnabled()
    assert page.outbox_count.text() == f"{waiting} changes waiting to sync"


def _clash(
    window: MainWindow, services: Services, qtbot: QtBot, make_relay: Callable[..., Relay]
) -> str:
    """The window's device and another relay both change the same partner's city."""
    record_id = services.records("partners").create(partner(1)).id
    assert press_sync_now(qtbot, window).in_sync
    other = make_relay("other")
    assert other.sync().in_sync
    other.services.records("partners").update(record_id, {"city": "Sète"})
    assert other.sync().in_sync
    services.records("partners").update(record_id, {"city": "Nîmes"})
    assert press_sync_now(qtbot, window).conflicts == 1
    return record_id


def test_waiting_conflicts_show_outside_the_sync_page_and_follow_each_decision(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    """A sync leaves one conflict. From the Partners view the status bar says "1 conflict waits"
    and the Sync item carries the count; clicking the status bar's button opens Sync ▸ Conflicts.
    Keep mine, clicked there, updates the page's summary, the status bar and the navigation, and
    no text on the way names a command."""
    window, page = enrolled_window, enrolled_window.sync_page
    _clash(window, services, qtbot, make_relay)
    status = window.status_panel
    sync_item = window.navigation.item(4)

    window.show_view("partners")
    assert status.conflicts.isVisible() and status.conflicts.text() == "1 conflict waits"
    assert sync_item.text() == "Sync (1)" and sync_item.toolTip() == "1 conflict waits"
    assert page.result.text() == "1 conflict waits for your decision."
    assert "relay-app" not in page.history.data(page.history.index(0, 8))

    qtbot.mouseClick(status.conflicts, Qt.MouseButton.LeftButton)
    assert window.current_view() == "sync" and page.tabs.currentWidget() is page.conflicts

    with qtbot.waitSignal(page.conflicts.resolved):
        qtbot.mouseClick(page.conflicts.keep_mine, Qt.MouseButton.LeftButton)
    assert page.result.text() == (
        "Every conflict is decided; your decisions go to the server with the next sync."
    )
    assert not status.conflicts.isVisible() and status.conflict_count == 0
    assert sync_item.text() == "Sync" and sync_item.toolTip() == ""

    assert press_sync_now(qtbot, window).in_sync
    assert page.result.text().startswith("In sync: 1 sent")


def test_a_device_no_longer_enrolled_is_told_what_to_do_in_the_window(
    enrolled_window: MainWindow, services: Services, paths: Paths, qtbot: QtBot
) -> None:
    """Automatic sync is on; the device's token is then removed from its token store (another
    Relay on this computer forgot the enrolment). The timer's run fails as not enrolled: the page
    says so in the window's words, without the command line's "relay-app enroll …"."""
    page = enrolled_window.sync_page
    with services.database.read() as session:
        server_id, url = read_state(session, SERVER_ID), read_state(session, SERVER_URL)
    TokenStore(paths.data_dir).forget(token_key(server_id, url or ""))

    with qtbot.waitSignal(page.runner.failed, timeout=SYNC_SECONDS * 1000) as failed:
        assert page.runner.tick()  # what the automatic sync's timer calls
    assert failed.args[1] == "not_enrolled"
    assert "relay-app" not in page.result.text()
    assert page.result.text().startswith("This device is not enrolled: enter the server's address")
    assert page.phase.text() == "Not finished"


def test_a_revoked_computer_says_what_it_erased_and_asks_for_a_new_enrolment(
    enrolled_window: MainWindow, services: Services, qtbot: QtBot, central: Central
) -> None:
    """The coordinator revoked this laptop; F5 reaches the server, which says so. The window shows
    a warning naming what was erased, the registrations list is empty, the partners stay, and the
    Sync page offers the enrolment form again."""
    from relay_app.services.outbox import device_identity
    from relay_central.admin import revoke_device
    from tests import factories

    window, page = enrolled_window, enrolled_window.sync_page
    forum_id = services.records("forums").create(factories.forum(capacity=5)).id
    services.records("registrations").create(factories.registration(forum_id))
    services.records("partners").create(partner(1))
    with services.database.read() as session:
        device_id = device_identity(session).device_id
    revoke_device(central.database, device_id)

    with qtbot.waitSignal(page.runner.failed, timeout=SYNC_SECONDS * 1000) as failed:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert failed.args[1] == "device_wiped"
    notice = page.wipe_notice
    assert notice is not None and notice.isVisible()
    assert notice.text() == "This computer's access to the server was revoked."
    assert "(registrations: 1, check-ins: 0)" in notice.informativeText()
    qtbot.keyClick(notice, Qt.Key.Key_Return)  # OK is the default
    qtbot.waitUntil(lambda: not notice.isVisible())
    assert services.records("registrations").list() == []
    assert len(services.records("partners").list()) == 1
    assert not page.is_enrolled()
    assert not page.auto_sync.enabled
