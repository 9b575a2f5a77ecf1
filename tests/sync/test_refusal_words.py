"""A change the server refuses is explained in the outbox with the form's words, and a change it
could not store (``not_stored``, no field) is shown by its message alone and sent again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from relay_app.services.outbox_view import outbox_rows
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner


def _refuse_inserts_of(central: Central, name: str) -> None:
    """The server's database refuses the record named ``name``, as a constraint would."""
    with central.database.writing() as session:
        session.execute(text(
            "CREATE TRIGGER refuse_record BEFORE INSERT ON records "
            f"WHEN json_extract(NEW.\"values\", '$.name') = '{name}' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ))


def test_a_change_the_server_could_not_store_shows_its_message_alone_and_goes_again(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: three partners, the server's database refusing the second (a trigger standing for
    any failure of the server's own). Before: the outbox's last error read ": The server could
    not store…" (an empty field glued in front). Now it is the server's sentence alone, the change
    stays in the outbox, not marked as sent, and the next sync sends it again and it is stored."""
    relay = make_relay()
    refused = partner(2)["name"]
    _refuse_inserts_of(central, refused)
    service = relay.services.records("partners")
    for number in (1, 2, 3):
        service.create(partner(number))

    first = relay.sync()

    assert first.pushed == 2 and first.rejected == 1 and first.pending == 1
    [row] = outbox_rows(relay.services.database)
    assert row.last_error is not None and row.last_error.startswith("The server could not store")
    assert first.rejected_messages == [row.last_error]
    assert not row.awaiting_receipt and row.attempts == 1
    with central.database.writing() as session:
        session.execute(text("DROP TRIGGER refuse_record"))

    second = relay.sync()  # a person's sync: sent again at once

    assert second.in_sync and second.pushed == 1
    with central.database.reading() as session:
        assert session.query(Record).count() == 3


def test_a_refused_field_is_named_by_the_forms_label_not_its_key(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: a relay of Sub-Saharan Africa records a partner of Western Europe; the server
    refuses it on field ``region``. Before: the outbox said "region: You may only change…". Now
    it names the field as the form does ("Region: …")."""
    relay = make_relay(regions=["sub_saharan_africa"])
    relay.services.records("partners").create(partner(1, region="western_europe"))

    summary = relay.sync()

    assert summary.rejected == 1
    [row] = outbox_rows(relay.services.database)
    assert row.last_error is not None and row.last_error.startswith("Region: You may only change")
    assert summary.rejected_messages == [row.last_error]
