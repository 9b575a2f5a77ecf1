"""Deleting a registration erases its personal fields: from the tombstone, every kept version and
every remembered push answer, from new devices' snapshots, and (after `erase-now`) from the bytes
of the database files, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from relay_app.forms import form_for
from relay_central.cli import main
from relay_central.models import AppliedChange, Record, RecordVersion
from tests.central.harness import Central, Device, forum, new_id, registration
from tests.central.postgres import PostgresCluster

# Written into the personal fields only: wherever it still appears, something was kept.
MARKER = "zqmarker"
PERSONAL = {"first_name", "last_name", "organisation", "email", "phone"}
# The data tables that keep record values.
VALUE_TABLES = ("records", "record_versions", "applied_changes")


def _registration_with_history(central: Central) -> tuple[Device, str]:
    """A registration with marked personal values in 3 versions, a merge answer and a conflict."""
    writer = central.device(["western_europe"])
    other = central.device(["western_europe"])
    forum_id, record_id = new_id(), new_id()
    writer.push_one("forums", forum_id, forum())
    created = writer.push_one("registrations", record_id, registration(
        forum_id, first_name="Zqmarkerine", last_name="Zqmarkerova",
        email=f"first.{MARKER}@example.org", phone="+33 6 12 34 56 78",
    ))
    assert created["status"] == "applied"
    writer.push_one("registrations", record_id, {"email": f"second.{MARKER}@example.org"},
                    base_version=1)
    merged = other.push_one("registrations", record_id, {"organisation": f"{MARKER} coop"},
                            base_version=1)
    assert merged["status"] == "merged" and MARKER in json.dumps(merged)
    conflict = other.push_one("registrations", record_id, {"email": f"third.{MARKER}@example.org"},
                              base_version=1)
    assert conflict["status"] == "conflict" and MARKER in json.dumps(conflict)
    return writer, record_id


def _stored(central: Central, record_id: str) -> dict[str, Any]:
    """Everything the server keeps of the record, as JSON-ready values."""
    with central.database.reading() as session:
        record = session.get(Record, ("registrations", record_id))
        assert record is not None
        versions = session.scalars(
            select(RecordVersion).where(RecordVersion.id == record_id)
            .order_by(RecordVersion.version)
        ).all()
        answers = [row.answer for row in session.scalars(select(AppliedChange))
                   if row.answer.get("id") == record_id]
        return {
            "record": {"deleted": record.deleted, "values": record.values},
            "versions": [{"version": v.version, "values": v.values} for v in versions],
            "answers": answers,
        }


def test_the_personal_fields_are_the_forms_marked_ones() -> None:
    """The server scrubs what the form marks `personal`: one source for server and client."""
    assert set(form_for("registrations").personal_field_names()) == PERSONAL
    assert form_for("partners").personal_field_names() == ()


def test_a_deleted_registration_keeps_no_personal_field(central: Central) -> None:
    """Tried: three versions, a merge answer and a conflict answer holding marked personal values,
    then a delete. Before the fix the tombstone and every version kept name, email and phone."""
    writer, record_id = _registration_with_history(central)
    before = json.dumps(_stored(central, record_id))
    assert before.count(MARKER) >= 6

    deleted = writer.push_one("registrations", record_id, op="delete", base_version=3)
    assert (deleted["status"], deleted["version"]) == ("applied", 4)

    stored = _stored(central, record_id)
    assert MARKER not in json.dumps(stored).lower()
    tombstone = stored["record"]
    assert tombstone["deleted"] is True
    assert not PERSONAL & set(tombstone["values"])
    # What is not personal stays: the relays of the forum's region still see the delete.
    assert tombstone["values"]["role"] == "farmer" and tombstone["values"]["forum_id"]
    assert [v["version"] for v in stored["versions"]] == [1, 2, 3, 4]
    for version in stored["versions"]:
        assert not PERSONAL & set(version["values"])
    # The answers are still there for replays, with the personal values left out.
    statuses = sorted(answer["status"] for answer in stored["answers"])
    assert statuses == ["applied", "applied", "applied", "conflict", "merged"]


def test_a_new_devices_snapshot_carries_no_personal_value(central: Central) -> None:
    """Tried: a relay enrolled after the delete pulls from the start of the feed. Before the fix
    the tombstone went out with the deleted person's name and email."""
    writer, record_id = _registration_with_history(central)
    writer.push_one("registrations", record_id, op="delete", base_version=3)

    newcomer = central.device(["western_europe"])
    items, _cursor = newcomer.pull_all()
    [tombstone] = [item for item in items if item["id"] == record_id]
    assert tombstone["deleted"] is True
    assert MARKER not in json.dumps(items).lower()
    assert not PERSONAL & set(tombstone["values"])
    # Asking for the record by its key shows no more than the feed.
    [fetched] = newcomer.records(("registrations", record_id))
    assert MARKER not in json.dumps(fetched).lower()


def test_a_live_registration_keeps_its_history(central: Central) -> None:
    """Only a delete erases: the versions of a registration still in use are merge bases."""
    _writer, record_id = _registration_with_history(central)
    stored = _stored(central, record_id)
    assert stored["record"]["values"]["email"] == f"second.{MARKER}@example.org"
    assert stored["versions"][0]["values"]["email"] == f"first.{MARKER}@example.org"


# --- the bytes of the database files ------------------------------------------------------------


def _sqlite_files(database_url: str) -> list[Path]:
    path = Path(str(make_url(database_url).database))
    return [file for file in (path, Path(f"{path}-wal")) if file.exists()]


def _postgres_files(central: Central, cluster: PostgresCluster) -> list[Path]:
    """The files of the value tables and of their TOAST tables, with every segment."""
    with central.database.engine.connect() as connection:
        connection.exec_driver_sql("CHECKPOINT")  # the shared buffers out to the files
        relative = connection.exec_driver_sql(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c WHERE c.relname = ANY(%(names)s) "
            "UNION SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c "
            "WHERE c.relname = ANY(%(names)s) AND c.reltoastrelid <> 0",
            {"names": list(VALUE_TABLES)},
        ).scalars().all()
    files: list[Path] = []
    for name in relative:
        files.extend(sorted((cluster.data / name).parent.glob(Path(name).name + "*")))
    return files


def _files(central: Central, engine: str, request: pytest.FixtureRequest) -> list[Path]:
    if engine == "sqlite":
        return _sqlite_files(central.settings.database_url)
    return _postgres_files(central, request.getfixturevalue("postgres"))


def _holding_marker(files: list[Path]) -> list[str]:
    return [file.name for file in files if MARKER.encode() in file.read_bytes().lower()]


def test_no_copy_is_left_in_the_database_files(
    central: Central, engine: str, request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tried: read the raw bytes of the database files (SQLite: the file and its -wal; PostgreSQL:
    the relation files of the value tables, read as the cluster's owner) after the delete and
    `relay-central erase-now`. Before the fix the old rows stayed in free pages and WAL frames
    (SQLite) and in dead tuples that plain VACUUM does not overwrite (PostgreSQL)."""
    writer, record_id = _registration_with_history(central)
    files = _files(central, engine, request)
    if not all(file.stat().st_mode & 0o444 for file in files):
        pytest.skip("the database files cannot be read by this user")
    assert _holding_marker(files), "the marker must be found before the delete"

    writer.push_one("registrations", record_id, op="delete", base_version=3)
    code = main(["erase-now", "--db", central.settings.database_url,
                 "--data-dir", str(central.settings.data_dir)])
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip()

    assert _holding_marker(_files(central, engine, request)) == []
    # The server still works on the compacted files.
    items, _cursor = central.device(["western_europe"]).pull_all()
    assert record_id in {item["id"] for item in items}


def test_sqlite_overwrites_at_the_delete_itself(
    start_central: Callable[..., Central], engine: str
) -> None:
    """SQLite needs no `erase-now`: secure_delete zeroes the freed bytes and the server moves the
    WAL into the file and truncates it right after an erasing push (a reader permitting)."""
    if engine != "sqlite":
        pytest.skip("PostgreSQL keeps dead tuples until `erase-now` or `prune` (see the docs)")
    central = start_central()
    writer, record_id = _registration_with_history(central)
    assert _holding_marker(_sqlite_files(central.settings.database_url))

    writer.push_one("registrations", record_id, op="delete", base_version=3)
    assert _holding_marker(_sqlite_files(central.settings.database_url)) == []
