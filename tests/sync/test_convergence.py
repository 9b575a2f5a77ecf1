"""Two relays that worked offline end with the same records, and the server holds each once."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner

PER_RELAY = 500


def _server_count(central: Central) -> int:
    with central.database.reading() as session:
        return session.scalar(select(func.count()).select_from(Record)) or 0


def _ids(relay: Relay) -> set[str]:
    return {view.id for view in relay.services.records("partners").list()}


def test_two_relays_converge_on_every_record(central: Central, make_relay: Callable[..., Relay]) -> None:
    first, second = make_relay("north"), make_relay("south")
    for relay in (first, second):
        service = relay.services.records("partners")
        for number in range(PER_RELAY):
            service.create(partner(number, name=f"{relay.name} partner {number}"))

    first_summary = first.sync()
    second_summary = second.sync()
    again = first.sync()

    assert first_summary.pushed == PER_RELAY and first_summary.in_sync
    assert second_summary.pushed == PER_RELAY and second_summary.pulled == 2 * PER_RELAY
    assert again.pulled == PER_RELAY and again.in_sync
    assert _server_count(central) == 2 * PER_RELAY
    assert _ids(first) == _ids(second)
    assert len(_ids(first)) == 2 * PER_RELAY
    for relay in (first, second):
        assert relay.services.status().pending_changes == 0
        assert all(view.base_version == 1 and not view.dirty_fields
                   for view in relay.services.records("partners").list())
    # Nothing left to exchange: the idle check is one small round trip.
    idle = second.sync()
    assert idle.idle and idle.in_sync and idle.pushed == idle.pulled == 0
