"""`POST sync/records` (protocol 2): the full latest versions of records asked for by key.

A device that was sent its own change without values, but no longer holds that version (a lost
push answer, a restored backup), fetches the values here. The read filter is the pull's, so a key
the device may not read is left out exactly like a key the server does not hold.
"""

from __future__ import annotations

from collections import defaultdict

from relay_app.sync.wire import RecordKey, RecordsResponse
from relay_central.auth import Actor
from relay_central.db import Database
from relay_central.models import Record
from relay_central.readable import pull_item, readable_records
from relay_central.text import has_nul


def fetch_records(
    database: Database, actor: Actor, keys: list[RecordKey], protocol: int
) -> RecordsResponse:
    wanted: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        # An id with a NUL cannot be stored (see relay_central.text), so it is never held.
        if not has_nul(key.id):
            wanted[key.kind].add(key.id)
    found: dict[tuple[str, str], Record] = {}
    with database.reading() as session:
        for kind, ids in wanted.items():
            rows = session.scalars(
                readable_records(actor, protocol).where(
                    Record.kind == kind, Record.id.in_(sorted(ids))
                )
            )
            found.update({(row.kind, row.id): row for row in rows})
        # In the order asked, each record once.
        ordered = [found.pop((key.kind, key.id)) for key in keys if (key.kind, key.id) in found]
        items = [pull_item(row) for row in ordered]
    return RecordsResponse(items=items)
