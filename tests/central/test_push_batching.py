"""A push batch is read and written in a few statements, and its changes still see each other.

The server loads a batch's records, answers and base versions up front and writes at the end, so
these tests pin down what a change must see of the changes before it in the same batch, and that
the number of SQL statements does not grow with the number of changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select, text

from relay_app import codelists
from relay_app.sync.wire import PushRequest, PushResponse
from relay_central.auth import Actor
from relay_central.models import Device as DeviceRow
from relay_central.models import Relay
from relay_central.push import apply_batch
from relay_central.push_store import CHUNK
from tests.central.harness import Central, Device, forum, new_id, partner, registration

# A push of 20 changes: the lock, three look-ups, the change counter and three inserts (or
# updates) fit well under this, whatever the number of changes.
STATEMENT_BOUND = 30


def _actor(central: Central, device: Device) -> Actor:
    with central.database.reading() as session:
        row = session.scalars(
            select(DeviceRow).where(DeviceRow.device_id == device.device_id)
        ).one()
        relay = session.get(Relay, row.relay_id)
        assert relay is not None
        return Actor(row.id, row.device_id, relay.id, relay.email, frozenset(relay.regions))


@contextmanager
def _counting_statements(central: Central) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(central.database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(central.database.engine, "before_cursor_execute", count)


def _push(central: Central, actor: Actor, changes: list[dict[str, Any]]) -> PushResponse:
    request = PushRequest.model_validate({"batch_id": uuid.uuid4().hex, "changes": changes})
    return apply_batch(central.database, central.settings, actor, request)


def _new_records(device: Device, forum_id: str) -> list[dict[str, Any]]:
    """A forum, 7 of its registrations, 6 partners and 6 practices: a relay's typical batch."""
    land_use = codelists.get("land_uses").codes()[0]
    category = codelists.get("practice_categories").codes()[0]
    changes = [device.change("forums", forum_id, forum())]
    changes += [
        device.change("registrations", new_id(), registration(forum_id, last_name=f"Diop {n}"))
        for n in range(7)
    ]
    for n in range(6):
        changes.append(device.change("partners", new_id(), partner(name=f"Cooperative {n}")))
        changes.append(device.change("practices", new_id(), {
            "title": f"Agroforestry plot {n}", "land_use": land_use, "category": category,
            "country": "FR",
        }))
    return changes


def _edits(device: Device, created: list[dict[str, Any]], base_version: int) -> list[dict]:
    fields = {"forums": {"city": "Nîmes"}, "registrations": {"first_name": "Fatou"},
              "partners": {"city": "Lyon"}, "practices": {"summary": "Trees between crops."}}
    return [
        device.change(change["kind"], change["id"], fields[change["kind"]],
                      base_version=base_version)
        for change in created
    ]


def _statuses(response: PushResponse) -> set[str]:
    return {result.status for result in response.results}


def test_a_push_of_20_changes_runs_a_bounded_number_of_statements(central: Central) -> None:
    device = central.device(["western_europe"])
    actor = _actor(central, device)
    created = _new_records(device, new_id())
    assert len(created) == 20

    with _counting_statements(central) as statements:
        assert _statuses(_push(central, actor, created)) == {"applied"}
    assert len(statements) < STATEMENT_BOUND, statements
    creating = len(statements)

    _push(central, actor, _edits(device, created, base_version=1))
    # Other fields edited on version 1 while the server is at 2: 20 three-way merges.
    others = {"forums": {"capacity": 80}, "registrations": {"last_name": "Sow"},
              "partners": {"name": "Cooperative"}, "practices": {"title": "Hedges"}}
    merges = [
        device.change(change["kind"], change["id"], others[change["kind"]], base_version=1)
        for change in created
    ]
    with _counting_statements(central) as statements:
        assert _statuses(_push(central, actor, merges)) == {"merged"}
    assert len(statements) < STATEMENT_BOUND, statements

    with _counting_statements(central) as statements:
        replayed = _push(central, actor, created)
    assert len(statements) < STATEMENT_BOUND, statements
    assert [result.version for result in replayed.results] == [1] * 20

    # Ten times the changes, the same statements: nothing runs once per change.
    more = [change for _ in range(10) for change in _new_records(device, new_id())]
    with _counting_statements(central) as statements:
        assert _statuses(_push(central, actor, more)) == {"applied"}
    assert len(statements) == creating
    items, _cursor = device.pull_all(limit=500)
    assert len(items) == 220


def test_changes_of_one_batch_see_the_changes_before_them(central: Central) -> None:
    device = central.device(["western_europe"])
    venue, guest, office = new_id(), new_id(), new_id()
    answers = device.push(
        device.change("forums", venue, forum(city="Montpellier")),
        # Its forum is only in this batch: its region is the one just written.
        device.change("registrations", guest, registration(venue)),
        device.change("partners", office, partner(city="Lyon")),
        device.change("partners", office, {"city": "Dijon"}, base_version=1),
        # Based on version 1, made two changes earlier: a three-way merge against it.
        device.change("partners", office, {"name": "Station"}, base_version=1),
        device.change("forums", venue, op="delete", base_version=1),
        device.change("forums", venue, {"capacity": 10}, base_version=1),
    )
    assert [(a["status"], a.get("version")) for a in answers] == [
        ("applied", 1), ("applied", 1), ("applied", 1), ("applied", 2), ("merged", 3),
        ("applied", 2), ("conflict", 2),
    ]
    assert answers[4]["merged_fields"] == {"city": "Dijon"}
    assert answers[6]["conflicts"][0]["field"] == "_deleted"

    items, _cursor = device.pull_all()
    by_id = {item["id"]: item for item in items}
    assert (by_id[office]["version"], by_id[office]["values"]["city"]) == (3, "Dijon")
    assert by_id[office]["values"]["name"] == "Station"
    assert by_id[venue]["deleted"] is True and by_id[venue]["version"] == 2
    with central.database.engine.connect() as connection:
        versions = connection.execute(
            text("SELECT version FROM record_versions WHERE id = :id ORDER BY version"),
            {"id": office},
        ).scalars().all()
    assert versions == [1, 2, 3]


def test_a_seq_sent_twice_in_one_batch_is_applied_once(central: Central) -> None:
    device = central.device(["western_europe"])
    record = new_id()
    first = device.change("partners", record, partner(city="Lyon"), seq=7)
    again = device.change("partners", record, {"city": "Dijon"}, base_version=1, seq=7)
    answers = device.push(first, again)
    assert answers[0] == answers[1] == {"seq": 7, "kind": "partners", "id": record,
                                        "status": "applied", "version": 1}
    items, _cursor = device.pull_all()
    assert [(item["version"], item["values"]["city"]) for item in items] == [(1, "Lyon")]


def test_a_forum_moved_in_a_batch_resends_its_registrations_after_it_in_order(
    central: Central,
) -> None:
    both = central.device(["western_europe", "northern_europe"])
    north = central.device(["northern_europe"])
    venue = new_id()
    earlier = [new_id() for _ in range(3)]
    both.push(
        both.change("forums", venue, forum("western_europe")),
        *[both.change("registrations", guest, registration(venue)) for guest in earlier],
    )
    _items, cursor = both.pull_all()
    late = new_id()
    answers = both.push(
        both.change("registrations", late, registration(venue, last_name="Sow")),
        both.change("forums", venue, {"region": "northern_europe"}, base_version=1),
    )
    assert [answer["status"] for answer in answers] == ["applied", "applied"]

    page = both.pull(cursor)
    assert [item["id"] for item in page["items"]] == [venue, *earlier, late]
    seqs = [item["change_seq"] for item in page["items"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    items, _cursor = north.pull_all()
    assert {item["id"] for item in items} == {venue, *earlier, late}


def test_a_registration_edited_alone_is_checked_against_its_stored_forum(
    central: Central,
) -> None:
    europe = central.device(["western_europe"])
    africa = central.device(["sub_saharan_africa"])
    paris, dakar = new_id(), new_id()
    europe.push_one("forums", paris, forum("western_europe"))
    africa.push_one("forums", dakar, forum("sub_saharan_africa"))
    guest = new_id()
    europe.push_one("registrations", guest, registration(paris))

    # Neither batch names the forum: its region comes from the registration as stored.
    renamed = europe.push_one("registrations", guest, {"last_name": "Sow"}, base_version=1)
    probe = africa.push_one("registrations", guest, {"last_name": "Ba"}, base_version=2)
    assert renamed["status"] == "applied" and renamed["version"] == 2
    assert probe["status"] == "rejected" and probe["errors"][0]["code"] == "forbidden"


def test_a_batch_larger_than_one_lookup_chunk_is_answered_in_full(central: Central) -> None:
    device = central.device(["western_europe"])
    first = [device.change("partners", new_id(), partner(name=f"P {n}")) for n in range(CHUNK)]
    assert {a["status"] for a in device.push(*first)} == {"applied"}
    second = [device.change("partners", new_id(), partner(name=f"Q {n}")) for n in range(CHUNK)]
    # The first batch again (answered from memory), then new records and edits of old ones.
    edits = [
        device.change("partners", change["id"], {"city": "Lyon"}, base_version=1)
        for change in first[: CHUNK // 2]
    ]
    answers = device.push(*first, *second, *edits)
    assert len(answers) == 2 * CHUNK + CHUNK // 2
    assert {a["version"] for a in answers[:CHUNK]} == {1}
    assert {a["status"] for a in answers[CHUNK:]} == {"applied"}
    assert {a["version"] for a in answers[2 * CHUNK:]} == {2}
    items, _cursor = device.pull_all(limit=500)
    assert len(items) == 2 * CHUNK
