"""Writers hold one lock from the start of their transaction to its end, on both databases.

This is what lets change sequence numbers commit in the order they were given.
"""

from __future__ import annotations

import threading
import time

from relay_central.db import Database, next_change_seq, server_state
from relay_central.migrate import upgrade

HOLD_SECONDS = 0.4


def test_a_second_writer_waits_for_the_first_to_commit(database_url: str) -> None:
    database = Database(database_url)
    upgrade(database)
    events: list[tuple[str, str, int]] = []
    first_inside = threading.Event()
    second_asking = threading.Event()

    def write(name: str, hold: float) -> None:
        if name == "second":
            second_asking.set()
        with database.writing() as session:
            events.append((name, "in", 0))
            if name == "first":
                first_inside.set()
                # Held from the moment the second writer asks, not from a moment a busy machine
                # may reach before the second thread has even started.
                second_asking.wait(10)
            time.sleep(hold)
            seq = next_change_seq(session)
            events.append((name, "leaving", seq))
        # Appended after the commit: the other writer may already be in by then, so this one
        # only says that the transaction ended.
        events.append((name, "committed", seq))

    first = threading.Thread(target=write, args=("first", HOLD_SECONDS))
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=write, args=("second", 0))
    second.start()  # while the first holds its transaction open for HOLD_SECONDS more
    first.join()
    second.join()
    try:
        inside = [event for event in events if event[1] != "committed"]
        assert inside == [("first", "in", 0), ("first", "leaving", 1),
                          ("second", "in", 0), ("second", "leaving", 2)]
        assert {event for event in events if event[1] == "committed"} == {
            ("first", "committed", 1), ("second", "committed", 2)}
        with database.reading() as session:
            assert server_state(session).last_change_seq == 2
    finally:
        database.dispose()
