"""Text a database or a JSON answer cannot hold never poisons a batch, a pull or the server's log.

Each test pushes over real HTTP to a real server on 127.0.0.1, on SQLite and on PostgreSQL. The
hostile text carries MARKER, so that the log can be searched for it: the server's log (every record
of every logger, formatted as production writes it) never holds a record's values.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from relay_central.logging import JsonFormatter
from tests.central.harness import Central, Device, new_id, partner

REGIONS = ["western_europe"]
MARKER = "Hostile-Marker-5b1e"
LONE_SURROGATE = "\ud800"


@pytest.fixture
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


def _logged(central: Central, caplog: pytest.LogCaptureFixture) -> str:
    """Everything the server logged, as its JSON lines; the server is stopped first so that no
    line (uvicorn writes its own after the answer has gone) can arrive later."""
    central.server.stop()
    return "\n".join(JsonFormatter().format(record) for record in caplog.records)


def _rejection(result: dict) -> tuple[str, list[tuple[str, str]]]:
    return result["status"], [(error["field"], error["code"]) for error in result["errors"]]


def test_unencodable_text_is_rejected_and_the_valid_change_beside_it_applied(
    central: Central, server_log: pytest.LogCaptureFixture
) -> None:
    """Tried: a partner named "\\ud800…" (a lone surrogate, as raw JSON escape) pushed in one batch
    with a valid partner. Before the fix SQLite stored it and every later pull answered 500;
    PostgreSQL failed the whole batch with 500 and logged the SQL parameters."""
    device = central.device(REGIONS)
    bad, good = new_id(), new_id()

    results = device.push(
        device.change("partners", bad, partner(name=f"{LONE_SURROGATE}{MARKER}")),
        device.change("partners", good, partner(name="Valid neighbour")),
    )

    assert _rejection(results[0]) == ("rejected", [("name", "invalid_text")])
    assert MARKER not in results[0]["errors"][0]["message"]
    assert results[1]["status"] == "applied", results[1]
    items, _cursor = device.pull_all()
    assert [(item["id"], item["values"]["name"]) for item in items] == [(good, "Valid neighbour")]
    assert MARKER not in _logged(central, server_log)


def test_unencodable_text_in_a_list_or_a_choice_is_rejected_too(central: Central) -> None:
    """Tried: the surrogate inside a multi-choice list and as a choice code; the rule is one for
    every field that takes text, so both are field errors, not failures of the batch."""
    device = central.device(REGIONS)

    results = device.push(
        device.change("partners", new_id(), partner(languages=["fr", f"e{LONE_SURROGATE}n"])),
        device.change("partners", new_id(), partner(country=f"F{LONE_SURROGATE}")),
        device.change("partners", new_id(), partner()),
    )

    assert _rejection(results[0]) == ("rejected", [("languages", "invalid_text")])
    assert _rejection(results[1]) == ("rejected", [("country", "invalid_text")])
    assert results[2]["status"] == "applied", results[2]


def test_an_unencodable_field_name_is_an_unknown_field_of_that_change_only(
    central: Central, server_log: pytest.LogCaptureFixture
) -> None:
    """Tried: a field name holding a lone surrogate (the answer names the field, and could not be
    written), next to a valid change."""
    device = central.device(REGIONS)
    odd_name = f"{MARKER}{LONE_SURROGATE}"

    results = device.push(
        device.change("partners", new_id(), {**partner(), odd_name: "x"}),
        device.change("partners", new_id(), partner()),
    )

    assert results[0]["status"] == "rejected", results[0]
    [error] = results[0]["errors"]
    assert error["code"] == "unknown_field"
    assert error["field"] == f"{MARKER}\ufffd"
    assert results[1]["status"] == "applied", results[1]
    assert MARKER not in _logged(central, server_log).replace(f"{MARKER}\\ufffd", "")


def test_unencodable_text_against_a_newer_server_copy_is_rejected_not_a_conflict(
    central: Central,
) -> None:
    """Tried: a stale edit of the name (another device changed it meanwhile) with a lone surrogate:
    a conflict would have echoed the text back in `client_value`, an answer that cannot be
    written. The text is refused before the merge."""
    first, second = central.device(REGIONS), central.device(REGIONS)
    record = new_id()
    first.push_one("partners", record, partner())
    second.push_one("partners", record, {"name": "Renamed"}, base_version=1)

    results = first.push(
        first.change("partners", record, {"name": f"x{LONE_SURROGATE}"}, base_version=1),
        first.change("partners", new_id(), partner()),
    )

    assert _rejection(results[0]) == ("rejected", [("name", "invalid_text")])
    assert results[1]["status"] == "applied", results[1]


def test_an_unencodable_record_id_or_batch_id_is_an_invalid_request(central: Central) -> None:
    """Tried: identifiers holding a lone surrogate, which no database column can hold. The wire
    schema refuses them (422), for push as for `sync/records`, before any transaction."""
    device = central.device(REGIONS)

    answer = device.post(
        "/api/v1/sync/push",
        {"batch_id": f"b{LONE_SURROGATE}",
         "changes": [device.change("partners", f"p{LONE_SURROGATE}", partner())]},
    )
    records = device.post(
        "/api/v1/sync/records", {"keys": [{"kind": "partners", "id": f"p{LONE_SURROGATE}"}]}
    )

    assert answer.status_code == 422, answer.text
    locations = [detail["location"] for detail in answer.json()["details"]]
    assert locations == ["body.batch_id", "body.changes.0.id"]
    assert records.status_code == 422, records.text
    assert device.pull_all()[0] == []


def _store_behind_the_server(central: Central, record: str, values_json: str) -> None:
    """Overwrite a record's values in the database directly, as data stored before the fix."""
    cast = "CAST(:values AS jsonb)" if central.database.dialect == "postgresql" else ":values"
    with central.database.writing() as session:
        session.execute(
            text(f'UPDATE records SET "values" = {cast} WHERE id = :id'),
            {"values": values_json, "id": record},
        )


def test_a_value_stored_before_the_fix_never_fails_a_pull(
    central: Central, server_log: pytest.LogCaptureFixture
) -> None:
    """Tried: a partner whose stored name holds a lone surrogate (SQLite kept those before the
    fix; PostgreSQL's JSONB cannot hold one, so there the name holds a control character, which
    the validator now cleans away). Pull, `sync/records` and a later edit of another field all
    answer 200, and that edit stores the name repaired; before the fix the SQLite pull answered
    500 for every relay."""
    device = central.device(REGIONS)
    reader = central.device(REGIONS)
    record = new_id()
    device.push_one("partners", record, partner())
    hostile = LONE_SURROGATE if central.database.dialect == "sqlite" else "\x01"
    stored = json.dumps({**partner(), "status": "active", "name": f"{hostile}{MARKER}"})
    _store_behind_the_server(central, record, stored)

    items, _cursor = reader.pull_all()
    [fetched] = reader.records(("partners", record))
    edit = device.push_one("partners", record, {"city": "Lyon"}, base_version=1)

    sent_name = items[0]["values"]["name"]
    assert sent_name.endswith(MARKER) and sent_name[0] in ("\ufffd", "\x01")
    assert fetched["values"]["name"] == sent_name
    assert edit["status"] in ("applied", "merged"), edit
    items, _cursor = reader.pull_all()
    assert items[0]["values"]["city"] == "Lyon"
    assert items[0]["values"]["name"] == sent_name.replace("\x01", "")
    log = _logged(central, server_log)
    assert MARKER not in log
    if central.database.dialect == "sqlite":
        assert record in log  # the repaired record is named, so that it can be looked at


def _refuse_inserts_of(central: Central, record: str) -> None:
    """A trigger refusing one record, as a database constraint would, with the row's values (on
    SQLite, whose RAISE takes no expression, MARKER itself) in its error message, as PostgreSQL's
    DETAIL and CONTEXT lines carry values."""
    with central.database.writing() as session:
        if central.database.dialect == "postgresql":
            session.execute(text(
                "CREATE FUNCTION refuse_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.id = '{record}' THEN RAISE EXCEPTION 'refused %', NEW.values "
                "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$"
            ))
            session.execute(text(
                "CREATE TRIGGER refuse_record BEFORE INSERT ON records "
                "FOR EACH ROW EXECUTE FUNCTION refuse_record()"
            ))
        else:
            session.execute(text(
                f"CREATE TRIGGER refuse_record BEFORE INSERT ON records WHEN NEW.id = '{record}' "
                f"BEGIN SELECT RAISE(ABORT, 'refused {MARKER}'); END"
            ))


def test_a_change_the_database_refuses_is_rejected_and_the_others_committed(
    central: Central, server_log: pytest.LogCaptureFixture
) -> None:
    """Tried: a batch of three where the database refuses the middle record when the batch is
    written (a trigger, standing for any constraint). Before the fix the whole batch failed with
    500 and the log carried the SQL parameters."""
    device = central.device(REGIONS)
    before, refused, after = new_id(), new_id(), new_id()
    _refuse_inserts_of(central, refused)

    results = device.push(
        device.change("partners", before, partner(name="Before")),
        device.change("partners", refused, partner(name=MARKER)),
        device.change("partners", after, partner(name="After")),
    )

    assert [result["status"] for result in results] == ["applied", "rejected", "applied"]
    assert [error["code"] for error in results[1]["errors"]] == ["not_stored"]
    items, _cursor = device.pull_all()
    assert [item["id"] for item in items] == [before, after]
    # The refused change is not remembered: sent again once the cause is gone, it is applied.
    with central.database.writing() as session:
        session.execute(text("DROP TRIGGER refuse_record" + (
            " ON records" if central.database.dialect == "postgresql" else "")))
    again = device.push(device.change("partners", refused, partner(name="Retried"),
                                      seq=results[1]["seq"]))
    assert again[0]["status"] == "applied", again
    log = _logged(central, server_log)
    assert MARKER not in log
    assert refused in log


def _fail_pulls_with(central: Central, device: Device) -> None:
    """Make the next request fail unexpectedly with MARKER in the exception's own text."""
    record = new_id()
    device.push_one("partners", record, partner())
    with central.database.writing() as session:
        if central.database.dialect == "postgresql":
            session.execute(text(
                "CREATE FUNCTION fail_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'failed %', NEW.values USING ERRCODE = 'internal_error'; "
                "END $$"
            ))
            session.execute(text(
                "CREATE TRIGGER fail_record BEFORE INSERT ON records "
                "FOR EACH ROW EXECUTE FUNCTION fail_record()"
            ))
        else:
            # A version that is no number: the answer's own validation fails, quoting the input.
            session.execute(text("UPDATE records SET version = :marker WHERE id = :id"),
                            {"marker": MARKER, "id": record})


def test_an_unexpected_failure_is_logged_without_the_values_involved(
    central: Central, server_log: pytest.LogCaptureFixture
) -> None:
    """Tried: a request that fails unexpectedly (500) with MARKER in the exception text: a
    PostgreSQL error quoting the row, or a stored value the answer's validation quotes on SQLite.
    Before the fix both the server's handler and uvicorn logged the full exception text."""
    device = central.device(REGIONS)
    _fail_pulls_with(central, device)

    if central.database.dialect == "postgresql":
        answer = device.post("/api/v1/sync/push", {
            "batch_id": new_id(),
            "changes": [device.change("partners", new_id(), partner(name=MARKER))],
        })
    else:
        answer = device.get("/api/v1/sync/pull")

    assert answer.status_code == 500, answer.text
    assert answer.json()["error"] == "internal_error"
    log = _logged(central, server_log)
    assert MARKER not in log
    failures = [record for record in server_log.records if record.getMessage() == "unexpected error"]
    assert len(failures) == 1
    assert getattr(failures[0], "error_type", "")
    assert getattr(failures[0], "where", "")
