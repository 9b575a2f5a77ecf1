"""A device whose clock is a year off syncs like any other: the server alone orders changes.

The engine never reads the device clock to order or merge anything (only to space out retries
and to stamp its run history), so here the device's own timestamps are set a year ahead and a
year behind, as a laptop with a wrong date would write them, and the sync is checked end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import update

from relay_app.store.models import Partner, PendingChange
from relay_app.store.types import utc_now
from relay_app.sync.conflicts import ConflictService
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner

YEAR = timedelta(days=365)


def _shift_clock(relay: Relay, offset: timedelta) -> None:
    """Stamp everything the device wrote as if its clock were ``offset`` away from the truth."""
    stamp = utc_now() + offset
    with relay.services.database.write() as session:
        session.execute(update(Partner).values(created_at=stamp, updated_at=stamp))
        session.execute(update(PendingChange).values(created_at=stamp, updated_at=stamp))


def test_records_stamped_a_year_ahead_or_behind_sync_and_merge_by_server_order(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    ahead, behind = make_relay("ahead"), make_relay("behind")
    ahead_ids = [ahead.services.records("partners").create(partner(n)).id for n in range(20)]
    behind_ids = [behind.services.records("partners").create(partner(n)).id for n in range(20)]
    _shift_clock(ahead, YEAR)
    _shift_clock(behind, -YEAR)

    assert ahead.sync().in_sync and behind.sync().in_sync and ahead.sync().in_sync
    for relay in (ahead, behind):
        assert {view.id for view in relay.services.records("partners").list()} == {
            *ahead_ids, *behind_ids
        }

    # The same field edited on both: the device with the "newest" timestamp does not win by
    # its clock; the change the server received second is the one that conflicts.
    shared = behind_ids[0]
    ahead.services.records("partners").update(shared, {"city": "Nîmes"})
    behind.services.records("partners").update(shared, {"city": "Sète"})
    _shift_clock(ahead, YEAR)
    _shift_clock(behind, -YEAR)
    assert behind.sync().in_sync
    clashed = ahead.sync()
    assert clashed.conflicts == 1
    [conflict] = ConflictService(ahead.services.database).list()
    assert (conflict.mine, conflict.theirs) == ("Nîmes", "Sète")
    assert ahead.services.records("partners").get(shared).values["city"] == "Sète"
