"""Values a server stored before the text rule existed never stop a relay's sync."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import text

from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner


def test_a_relay_syncs_past_values_stored_before_the_text_rule(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: a partner whose stored values (written into the server's SQLite database directly,
    as the server kept them before the fix) hold a lone surrogate in the name and a control
    character in the city. Before the fix the pull answered 500 and no relay could sync; now the
    relay syncs to the end and keeps the text as the rule allows it."""
    writer, reader = make_relay(), make_relay()
    created = writer.services.records("partners").create(partner(1))
    assert writer.sync().in_sync
    stored = {**partner(1), "name": "Coop\ud800rative", "city": "Mont\x01pellier"}
    with central.database.writing() as session:
        session.execute(
            text('UPDATE records SET "values" = :values WHERE id = :id'),
            {"values": json.dumps(stored), "id": created.id},
        )

    summary = reader.sync()

    assert summary.in_sync, summary.reason
    held = reader.services.records("partners").get(created.id)
    assert (held.values["name"], held.values["city"]) == ("Coop\ufffdrative", "Montpellier")
    assert not held.dirty_fields
