"""Syncs over a bad link (latency, a bandwidth cap, connections cut both ways) complete exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.client import Timeouts
from relay_app.sync.errors import Cancelled
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import partner

RECORDS = 300


def _server_versions(central: Central) -> list[int]:
    with central.database.reading() as session:
        return list(session.scalars(select(Record.version)))


@pytest.mark.parametrize("seed", [7, 2026])
def test_a_sync_through_a_cutting_slow_link_applies_every_change_exactly_once(
    central: Central, make_relay: Callable[..., Relay], seed: int
) -> None:
    sender, receiver = make_relay("sender"), make_relay("receiver")
    service = sender.services.records("partners")
    ids = {service.create(partner(number)).id for number in range(RECORDS)}
    faults = Faults(latency=0.005, bandwidth=400_000, cut_request=0.2, cut_response=0.3, seed=seed)

    with FaultProxy(central.server.port, faults) as proxy:
        sent = sender.sync(server_url=proxy.url, batch=AdaptiveBatch(size=20, maximum=40))
        received = receiver.sync(server_url=proxy.url, pull_limit=50)

    assert proxy.stats.requests_cut and proxy.stats.responses_cut  # the link really was bad
    assert sent.in_sync and sent.pushed == RECORDS
    assert received.in_sync and received.pulled == RECORDS
    versions = _server_versions(central)
    assert len(versions) == RECORDS and set(versions) == {1}  # none lost, none applied twice
    assert sender.services.status().pending_changes == 0
    assert {view.id for view in receiver.services.records("partners").list()} == ids
    assert sent.bytes_sent > 0 and received.bytes_received > 0


def test_cancel_takes_effect_within_a_second_and_loses_nothing(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    service = relay.services.records("partners")
    for number in range(40):
        service.create(partner(number))

    with FaultProxy(central.server.port, Faults(latency=3.0)) as proxy:
        engine = relay.engine(server_url=proxy.url, timeouts=Timeouts(connect=5, read=30))
        outcome: list[BaseException] = []

        def run() -> None:
            try:
                engine.sync()
            except BaseException as error:
                outcome.append(error)

        worker = threading.Thread(target=run)
        worker.start()
        # The first request is on the slow link (not "half a second later": a busy machine may
        # not have begun the run by then, and the run would clear a cancel that came first).
        deadline = time.monotonic() + 20
        while proxy.stats.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proxy.stats.connections, "the run never reached the link"
        asked = time.monotonic()
        engine.cancel()
        worker.join(timeout=5)
        stopped_after = time.monotonic() - asked

    assert not worker.is_alive() and stopped_after < 1.0
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert relay.services.status().pending_changes == 40
    assert relay.sync().in_sync
    assert sorted(_server_versions(central)) == [1] * 40


def test_a_server_gone_mid_push_leaves_a_partial_summary_that_counts_what_happened(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """30 changes go out 10 a batch through a real proxy, which is shut after the first receipt:
    the server is gone. The run says it is trying again, then gives up; its partial summary
    (what the window and the command line show) counts the changes delivered, the bytes moved
    and what still waits, and agrees with the run's history row and with the server."""
    from sqlalchemy import func

    from relay_app.store.models import SyncRun
    from relay_app.sync.errors import SyncError
    from relay_app.sync.progress import Phase, SyncProgress

    relay = make_relay()
    service = relay.services.records("partners")
    for number in range(30):
        service.create(partner(number))
    steps: list[SyncProgress] = []

    with FaultProxy(central.server.port, Faults()) as proxy:
        engine = relay.engine(server_url=proxy.url, batch=AdaptiveBatch(size=10, maximum=10))

        def server_goes_away(step: SyncProgress) -> None:
            steps.append(step)
            if step.phase is Phase.PUSHED and step.done >= 10:
                proxy.stop()

        engine.progress = server_goes_away
        with pytest.raises(SyncError) as stopped:
            engine.sync()

    partial = stopped.value.summary
    assert stopped.value.code == "offline" and partial is not None
    assert any(step.phase is Phase.RETRYING and step.total for step in steps)
    with central.database.reading() as session:
        on_server = session.scalar(select(func.count()).select_from(Record))
    assert partial.pushed == on_server == 10
    assert partial.pending == relay.services.status().pending_changes == 20
    with relay.services.database.read() as session:
        run = session.scalars(select(SyncRun)).one()
    assert partial.bytes_sent == run.bytes_sent > 0
    assert partial.bytes_received == run.bytes_received > 0
    assert not partial.in_sync and partial.reason == str(stopped.value)
