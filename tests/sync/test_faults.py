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
        time.sleep(0.5)  # the meta request is on the slow link now
        asked = time.monotonic()
        engine.cancel()
        worker.join(timeout=5)
        stopped_after = time.monotonic() - asked

    assert not worker.is_alive() and stopped_after < 1.0
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert relay.services.status().pending_changes == 40
    assert relay.sync().in_sync
    assert sorted(_server_versions(central)) == [1] * 40
