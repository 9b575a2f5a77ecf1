"""The Sync view against a real server: enrol, sync now, cancel, the outbox and its export."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.sync.identity import enrolled_token
from relay_app.sync.state import SERVER_URL, write_state
from relay_app.ui.main_window import MainWindow
from tests.central.harness import Central
from tests.sync.conftest import REGIONS, Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.local_http import Answer, LocalHttpServer, Reply, Request
from tests.sync.records import partner
from tests.ui.sync.conftest import SYNC_SECONDS, press_sync_now


def _add_partner(window: MainWindow, services: Services, number: int) -> str:
    record_id = services.records("partners").create(partner(number)).id
    window.changes.records_changed.emit("partners")  # as the editor does after a save
    return record_id


def test_enrol_from_the_view(
    window: MainWindow, qtbot: QtBot, central: Central, paths: Paths, services: Services
) -> None:
    page = window.sync_page
    window.show_view("sync")
    assert page.enrol_box.isVisible() and not page.sync_box.isVisible()
    assert not page.sync_now_action.isEnabled()

    qtbot.keyClicks(page.enrol_box.server_url, central.url)
    qtbot.keyClicks(page.enrol_box.code, "not-a-code")
    with qtbot.waitSignal(page.runner.enrol_failed, timeout=SYNC_SECONDS * 1000):
        qtbot.mouseClick(page.enrol_box.button, Qt.MouseButton.LeftButton)
    assert "could not be enrolled" in page.enrol_box.status.text()
    assert page.enrol_box.isVisible()

    page.enrol_box.code.clear()
    qtbot.keyClicks(page.enrol_box.code, central.relay(REGIONS))
    enrolled_then_synced = [page.runner.enrolled, page.runner.finished]  # a first sync follows
    with qtbot.waitSignals(enrolled_then_synced, order="strict", timeout=SYNC_SECONDS * 1000):
        qtbot.mouseClick(page.enrol_box.button, Qt.MouseButton.LeftButton)
    assert page.sync_box.isVisible() and not page.enrol_box.isVisible()
    assert central.url in page.connected_to.text()
    assert page.sync_now_action.isEnabled()
    assert enrolled_token(services.database, paths.data_dir)
    assert window.status_panel.connection.text() == "Online"


def test_sync_now_empties_the_outbox_and_records_the_run(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    window, page = enrolled_window, enrolled_window.sync_page
    record_id = _add_partner(window, services, 1)
    assert [(row.record_id, row.op, row.summary) for row in page.outbox.rows] == [
        (record_id, "upsert", services.records("partners").get(record_id).summary)
    ]
    assert page.outbox.data(page.outbox.index(0, 3)) == "Waiting to be sent"
    assert page.history.rowCount() == 0

    summary = press_sync_now(qtbot, window)

    assert summary.in_sync and summary.pushed == 1
    assert page.outbox.rowCount() == 0
    assert window.status_panel.pending.text() == "0 changes waiting to sync"
    [run] = page.history.rows
    assert (run.outcome, run.pushed, run.error) == ("ok", 1, None)
    assert page.history.data(page.history.index(0, 1)) == "Done"
    assert "1 sent" in page.result.text()
    assert run.bytes_sent > 0 and run.bytes_received > 0
    assert page.traffic.text().startswith("Data sent: ") and "sent: 0 B" not in page.traffic.text()
    # The record really is on the server: another relay receives it.
    other = make_relay("other")
    assert other.sync().in_sync
    assert other.services.records("partners").get(record_id).values["city"] == "Montpellier"


def test_cancel_stops_within_a_second_and_keeps_the_outbox(
    window: MainWindow,
    services: Services,
    paths: Paths,
    qtbot: QtBot,
    central: Central,
) -> None:
    from relay_app.sync.connect import enroll_device

    enroll_device(services.database, paths.data_dir, central.url, central.relay(REGIONS), "laptop")
    page = window.sync_page
    with FaultProxy(central.server.port, Faults(latency=2.0)) as slow:
        # The same enrolment (the token belongs to the server, not to an address), reached
        # through a link that takes seconds per round trip.
        with services.database.write() as session:
            write_state(session, SERVER_URL, slow.url)
        _add_partner(window, services, 1)
        _add_partner(window, services, 2)
        page.refresh()
        window.show_view("sync")

        with qtbot.waitSignal(page.runner.progressed):
            qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        assert page.cancel_button.isEnabled() and not page.sync_button.isEnabled()
        qtbot.waitUntil(lambda: slow.stats.connections > 0)  # the first request is on its way
        started = time.monotonic()
        with qtbot.waitSignal(page.runner.failed) as stopped:
            qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        assert time.monotonic() - started < 1.0
    assert stopped.args[1] == "cancelled"
    assert page.outbox.rowCount() == 2  # nothing left the outbox without a receipt
    assert page.history.rows[0].outcome == "cancelled"
    assert page.history.data(page.history.index(0, 1)) == "Stopped"
    assert "nothing was lost" in page.result.text()
    assert page.sync_button.isEnabled() and not page.cancel_button.isEnabled()


def test_export_for_support_writes_the_outbox_as_json(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    page = window.sync_page
    record_id = _add_partner(window, services, 7)
    target = tmp_path / "support" / "outbox.json"
    target.parent.mkdir()

    operation = page.export_outbox(target)
    assert operation is not None
    qtbot.waitUntil(lambda: operation.finished)

    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["device_id"] == services.device_id
    [change] = document["pending_changes"]
    assert (change["kind"], change["record_id"], change["op"]) == ("partners", record_id, "upsert")
    assert change["summary"] and change["attempts"] == 0 and change["awaiting_receipt"] is False
    assert "city" in change["fields"]
    assert document["sync_runs"] == []
    assert str(target) in page.result.text()


def _login_page(_request: Request) -> Reply:
    return Reply(200, b"<html><body>Accept the terms of Station Wi-Fi</body></html>",
                 {"Content-Type": "text/html"})


def _server_error(_request: Request) -> Reply:
    return Reply(500, b'{"error": "internal_error", "message": "The server failed."}',
                 {"Content-Type": "application/json"})


@pytest.mark.parametrize(
    ("answer", "code", "words", "connection"),
    [
        (_login_page, "captive_portal", "sign in to the Wi-Fi first", "Offline"),
        (_server_error, "server_failed", "The server failed (HTTP 500)", "Online"),
    ],
)
def test_a_captive_portal_or_a_failing_server_is_named_on_the_page(
    enrolled_window: MainWindow,
    services: Services,
    paths: Paths,
    qtbot: QtBot,
    central: Central,
    answer: Answer,
    code: str,
    words: str,
    connection: str,
) -> None:
    """One sync reaches the real server (Online); the next meets a Wi-Fi login page or a server
    answering 500. The page says which, in its words, at once (one request: the question of who
    answers at this address, not yet checked, which carries no token), and the status bar tells a
    portal (no way out yet) from a server that answered with a failure."""
    window, page = enrolled_window, enrolled_window.sync_page
    assert press_sync_now(qtbot, window).in_sync
    assert window.status_panel.connection.text() == "Online"

    with LocalHttpServer(answer) as fake:
        # The token is kept under the server's id, so it goes to whatever address the store names.
        with services.database.write() as session:
            write_state(session, SERVER_URL, fake.url)
        _add_partner(window, services, 1)
        page.refresh()
        with qtbot.waitSignal(page.runner.failed, timeout=SYNC_SECONDS * 1000) as failed:
            qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)

    assert failed.args[1] == code
    assert words in page.result.text() and "could not be reached" not in page.result.text()
    assert words in (page.history.rows[0].error or "")
    assert window.status_panel.connection.text() == connection
    assert fake.paths() == ["/api/v1/server"]
    assert page.outbox.rowCount() == 1
