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

    def write(name: str, hold: float) -> None:
        with database.writing() as session:
            events.append((name, "in", 0))
            first_inside.set()
            time.sleep(hold)
            seq = next_change_seq(session)
        events.append((name, "committed", seq))

    first = threading.Thread(target=write, args=("first", HOLD_SECONDS))
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=write, args=("second", 0))
    second.start()
    first.join()
    second.join()
    try:
        assert events == [("first", "in", 0), ("first", "committed", 1),
                          ("second", "in", 0), ("second", "committed", 2)]
        with database.reading() as session:
            assert server_state(session).last_change_seq == 2
    finally:
        database.dispose()
