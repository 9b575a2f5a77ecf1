"""The migrations build exactly the tables the models describe, and keep the rows already there,
on both databases."""

from __future__ import annotations

from collections.abc import Callable

import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, select, text

from relay_central.auth import hash_secret
from relay_central.db import Database, server_state
from relay_central.migrate import VERSION_TABLE, _config, head_revision, upgrade
from relay_central.models import Base
from tests.central.harness import Central, Device


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert upgrade(database) == head_revision()
        assert upgrade(database) == head_revision()  # a second run changes nothing
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
        with database.reading() as session:
            state = server_state(session)
            assert state.last_change_seq == 0 and len(state.server_id) == 32
    finally:
        database.dispose()


# --- upgrading a database that holds data -------------------------------------------------------

STAMP = "2026-03-02T10:00:00.000000+00:00"
TOKEN = "token-of-a-laptop-enrolled-before-the-upgrade"
FORUM_ID = "6f0e3d1c-5b4a-4c3d-9e2f-1a0b9c8d7e6f"
REGISTRATION_ID = "1b2c3d4e-5f60-4718-a9b0-c1d2e3f40516"
PARTNER_ID = "9a8b7c6d-5e4f-4031-8273-645546372819"
FORUM_VALUES = {"name": "Forum de Montpellier", "region": "western_europe", "city": "Montpellier",
                "start_date": "2026-06-01", "end_date": "2026-06-03", "capacity": 120}
SPENT_CODE, UNUSED_CODE = "AAAA-BBBB-CCCC-DDDD", "EEEE-FFFF-GGGG-HHHH"
TABLES = ("relays", "devices", "enrolment_codes", "records", "record_versions", "applied_changes",
          "attachments", "uploads")


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _fill_first_revision(database: Database) -> None:
    """Rows as the first revision's server wrote them, through that revision's own tables."""
    tables = MetaData()
    tables.reflect(database.engine, only=TABLES)
    record = {"updated_at": STAMP, "updated_by": 1, "forum_id": None, "deleted": False}
    with database.engine.begin() as connection:
        connection.execute(insert(tables.tables["relays"]), [{
            "id": 1, "name": "Relais Europe", "email": "europe@example.org",
            "regions": ["western_europe"], "active": True, "created_at": STAMP,
        }])
        connection.execute(insert(tables.tables["devices"]), [{
            "id": 1, "device_id": "laptop-1", "relay_id": 1, "name": "Laptop",
            "token_hash": hash_secret(TOKEN), "enrolled_at": STAMP, "revoked_at": None,
            "last_seen_at": None,
        }])
        connection.execute(insert(tables.tables["enrolment_codes"]), [
            {"id": 1, "relay_id": 1, "code_hash": hash_secret(SPENT_CODE), "created_at": STAMP,
             "expires_at": "2999-01-01T00:00:00.000000+00:00", "used_at": STAMP},
            {"id": 2, "relay_id": 1, "code_hash": hash_secret(UNUSED_CODE), "created_at": STAMP,
             "expires_at": "2999-01-01T00:00:00.000000+00:00", "used_at": None},
        ])
        connection.execute(insert(tables.tables["records"]), [
            {**record, "kind": "forums", "id": FORUM_ID, "version": 2, "values": FORUM_VALUES,
             "region": "western_europe", "change_seq": 2},
            {**record, "kind": "registrations", "id": REGISTRATION_ID, "version": 1,
             "values": {"forum_id": FORUM_ID, "first_name": "Awa", "last_name": "Diop"},
             "region": None, "forum_id": FORUM_ID, "change_seq": 3},
            {**record, "kind": "partners", "id": PARTNER_ID, "version": 2, "deleted": True,
             "values": {"name": "Ancien partenaire"}, "region": "western_europe",
             "change_seq": 4},
        ])
        connection.execute(insert(tables.tables["record_versions"]), [
            {"kind": "forums", "id": FORUM_ID, "version": version, "deleted": False,
             "values": values, "created_at": STAMP, "device": 1}
            for version, values in ((1, {**FORUM_VALUES, "capacity": 100}), (2, FORUM_VALUES))
        ])
        connection.execute(insert(tables.tables["applied_changes"]), [{
            "device": 1, "seq": 7, "batch_id": "batch-1",
            "answer": {"seq": 7, "kind": "forums", "id": FORUM_ID, "status": "applied",
                       "version": 2},
            "created_at": STAMP,
        }])
        connection.execute(insert(tables.tables["attachments"]), [{
            "sha256": "ab" * 32, "size": 2048, "media_type": "image/png", "created_at": STAMP,
            "uploaded_by": 1,
        }])
        connection.execute(insert(tables.tables["uploads"]), [{
            "id": "u" * 32, "device": 1, "sha256": "cd" * 32, "length": 4096, "offset": 1024,
            "media_type": "image/jpeg", "created_at": STAMP, "updated_at": STAMP,
        }])
        connection.execute(
            text("UPDATE server_state SET last_change_seq = 4 WHERE id = 1")
        )
        if database.dialect == "postgresql":
            # Ids given explicitly above: move the sequences past them, as the server's own
            # inserts would have.
            for table in ("relays", "devices", "enrolment_codes"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                ))


def _contents(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the data tables (without columns added since the first revision)."""
    tables = MetaData()
    tables.reflect(database.engine, only=TABLES)
    added = {("records", "writer_informed"), ("enrolment_codes", "used_by")}
    contents = {}
    with database.engine.connect() as connection:
        for name in TABLES:
            table = tables.tables[name]
            columns = [c for c in table.columns if (name, c.name) not in added]
            rows = connection.execute(select(*columns).order_by(*table.primary_key.columns))
            contents[name] = [tuple(row) for row in rows]
    return contents


def test_upgrade_from_the_first_revision_keeps_every_row(
    database_url: str, start_central: Callable[..., Central]
) -> None:
    revisions = _revisions()
    assert revisions[-1] == head_revision() and len(revisions) >= 2
    database = Database(database_url)
    try:
        assert upgrade(database, revisions[0]) == revisions[0]
        _fill_first_revision(database)
        expected = _contents(database)
        assert len(expected["records"]) == 3 and len(expected["uploads"]) == 1
        for revision in revisions[1:]:
            assert upgrade(database, revision) == revision
            assert _contents(database) == expected, f"rows changed upgrading to {revision}"
        with database.engine.connect() as connection:
            informed = connection.execute(text("SELECT writer_informed FROM records")).scalars()
            # Written under protocol 1: their values must go out in full to everyone.
            assert list(informed) == [False, False, False]
            # The server got its lasting identity; codes spent before name no device.
            assert len(connection.execute(text("SELECT instance_id FROM server_identity"))
                       .scalar_one()) == 32
            assert list(connection.execute(text("SELECT used_by FROM enrolment_codes"))
                        .scalars()) == [None, None]
    finally:
        database.dispose()

    # The server on the upgraded database: the device enrolled before keeps syncing.
    central = start_central()
    device = Device(central.url, "laptop-1", TOKEN)
    items, _cursor = device.pull_all()
    assert [(item["id"], item["version"], item["deleted"]) for item in items] == [
        (FORUM_ID, 2, False), (REGISTRATION_ID, 1, False), (PARTNER_ID, 2, True)
    ]
    assert items[0]["values"] == FORUM_VALUES
    replay = device.push_one("forums", FORUM_ID, {"capacity": 1}, base_version=2, seq=7)
    assert replay == {"seq": 7, "kind": "forums", "id": FORUM_ID, "status": "applied",
                      "version": 2}
    # The versions kept before the upgrade are still the bases of three-way merges.
    merged = device.push_one("forums", FORUM_ID, {"venue": "Agropolis"}, base_version=1, seq=8)
    assert (merged["status"], merged["version"]) == ("merged", 3)
    assert merged["merged_fields"] == {"capacity": 120}

    # A code spent before the upgrade stays spent, even for the device that spent it; the unused
    # one still enrols.
    for code, device_id, status in ((SPENT_CODE, "laptop-1", 403), (UNUSED_CODE, "laptop-2", 201)):
        answer = requests.post(f"{central.url}/api/v1/enroll", timeout=10, json={
            "code": code, "device_id": device_id, "device_name": "Laptop"})
        assert answer.status_code == status, answer.text

# --- c0003_erasure: registrations deleted before the upgrade lose their personal fields ---------

ERASURE_REVISION = "c0003_erasure"
DELETED_ID = "2c3d4e5f-6071-4829-b0c1-d2e3f4051627"
PERSONAL_VALUES = {"first_name": "Zqmarkerine", "last_name": "Zqmarkerova",
                   "organisation": "Zqmarker coop", "email": "zqmarker@example.org",
                   "phone": "+33 6 12 34 56 78"}


def _fill_before_erasure(database: Database) -> None:
    """A deleted registration as the server kept it before: personal values in the tombstone, in
    both versions and in a merge and a conflict answer; beside it, a live registration."""
    tables = MetaData()
    tables.reflect(database.engine, only=TABLES)
    kept = {"forum_id": FORUM_ID, "role": "farmer", "consent": True}
    person = {**kept, **PERSONAL_VALUES}
    record = {"updated_at": STAMP, "updated_by": 1, "region": None, "forum_id": FORUM_ID}
    with database.engine.begin() as connection:
        connection.execute(insert(tables.tables["relays"]), [{
            "id": 1, "name": "Relais Europe", "email": "europe@example.org",
            "regions": ["western_europe"], "active": True, "created_at": STAMP,
        }])
        connection.execute(insert(tables.tables["devices"]), [{
            "id": 1, "device_id": "laptop-1", "relay_id": 1, "name": "Laptop",
            "token_hash": hash_secret(TOKEN), "enrolled_at": STAMP, "revoked_at": None,
            "last_seen_at": None,
        }])
        connection.execute(insert(tables.tables["records"]), [
            {**record, "kind": "registrations", "id": DELETED_ID, "version": 2, "deleted": True,
             "values": person, "change_seq": 2},
            {**record, "kind": "registrations", "id": REGISTRATION_ID, "version": 1,
             "deleted": False, "values": person, "change_seq": 1},
        ])
        connection.execute(insert(tables.tables["record_versions"]), [
            {"kind": "registrations", "id": record_id, "version": version, "deleted": deleted,
             "values": person, "created_at": STAMP, "device": 1}
            for record_id, version, deleted in (
                (DELETED_ID, 1, False), (DELETED_ID, 2, True), (REGISTRATION_ID, 1, False)
            )
        ])
        conflict = {"field": "email", "server_value": "zqmarker@example.org",
                    "client_value": "other.zqmarker@example.org", "base_value": None}
        connection.execute(insert(tables.tables["applied_changes"]), [
            {"device": 1, "seq": seq, "batch_id": "batch-1", "created_at": STAMP,
             "answer": {"seq": seq, "kind": "registrations", "id": record_id, **answer}}
            for seq, record_id, answer in (
                (1, DELETED_ID, {"status": "merged", "version": 1,
                                 "merged_fields": {"email": "zqmarker@example.org",
                                                   "role": "farmer"}}),
                (2, DELETED_ID, {"status": "conflict", "version": 1, "conflicts": [conflict]}),
                (3, REGISTRATION_ID, {"status": "conflict", "version": 1,
                                      "conflicts": [conflict]}),
            )
        ])
        connection.execute(text("UPDATE server_state SET last_change_seq = 2 WHERE id = 1"))


def test_upgrade_erases_registrations_deleted_before_it(database_url: str) -> None:
    """Tried: upgrade a database the previous revision wrote, holding a deleted registration with
    name, e-mail and phone everywhere; the live registration beside it must stay as it was."""
    revisions = _revisions()
    before = revisions[revisions.index(ERASURE_REVISION) - 1]
    database = Database(database_url)
    try:
        upgrade(database, before)
        _fill_before_erasure(database)
        untouched = [row for table, rows in _contents(database).items() for row in rows
                     if REGISTRATION_ID in repr(row) and table != "relays"]
        upgrade(database)

        contents = _contents(database)
        erased = [row for rows in contents.values() for row in rows if DELETED_ID in repr(row)]
        assert len(erased) == 5  # the tombstone, two versions, two answers
        assert "zqmarker" not in repr(erased).lower()
        assert all("farmer" in repr(row) for row in erased[:3])
        assert [row for table, rows in contents.items() for row in rows
                if REGISTRATION_ID in repr(row) and table != "relays"] == untouched
    finally:
        database.dispose()
