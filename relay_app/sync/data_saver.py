"""The data saver: on a poor or metered link, records first, files only when the link allows.

With the setting on, a sync moves records (small, and what people wait for) and leaves files
(photos, posters: most of the bytes) for later, unless a person asks for them or the link measured
during this very run is good. "Good" is judged on what the run already moved: at least
``MIN_MEASURED_BYTES`` in total (less tells nothing: a single small answer is all latency) at
``GOOD_LINK_BYTES_PER_SECOND`` or faster, counted over the time its requests took less the time the
server says it worked on them (``Server-Timing``: a busy server is not a slow link). 64 KiB/s is
about 512 kbit/s: a 2 MB photo in about half a minute, where a 2G link would need ten minutes.
"""

from __future__ import annotations

from relay_app.store.database import Database
from relay_app.sync.client import Traffic
from relay_app.sync.state import read_state, write_state

DATA_SAVER = "data_saver"
GOOD_LINK_BYTES_PER_SECOND = 64 * 1024
MIN_MEASURED_BYTES = 16 * 1024


def read_data_saver(database: Database) -> bool:
    """Whether the data saver is on (off until a person turns it on)."""
    with database.read() as session:
        return read_state(session, DATA_SAVER) == "1"


def write_data_saver(database: Database, on: bool) -> None:
    with database.write() as session:
        write_state(session, DATA_SAVER, "1" if on else "0")


def link_is_good(traffic: Traffic) -> bool:
    """Whether the exchanges counted in ``traffic`` went fast enough to move files now."""
    moved = traffic.sent + traffic.received
    if moved < MIN_MEASURED_BYTES or traffic.seconds <= 0:
        return False
    return moved / traffic.seconds >= GOOD_LINK_BYTES_PER_SECOND
