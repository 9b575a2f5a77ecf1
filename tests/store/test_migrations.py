"""Upgrading a database made by an earlier revision keeps every row (and makes a backup first).

The data is written with raw SQL of the FIRST revision's schema, then the file is upgraded one revision
at a time to head; after each step the rows must still be there, and at head the services must read and
find them. New revisions keep this test meaningful without changes here.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.store.migrate import _config, current_revision, head_revision, upgrade_database

PARTNER_ID = "7d1c1a38-3a55-4d4c-9d38-8a2e4f0f3b11"
PRACTICE_ID = "0c8a9a60-5a7d-4d9e-8b1f-2f6a8e5d7c22"
STAMP = "2025-01-02T03:04:05.000000+00:00"
SYNC_COLUMNS = "id, created_at, updated_at, deleted, origin_device, base_version, dirty_fields"


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _fill_first_revision(database: Path) -> None:
    connection = sqlite3.connect(database)
    with connection:
        connection.execute(
            f"INSERT INTO partners ({SYNC_COLUMNS}, name, kind, college, country, region, languages, status)"
            " VALUES (?, ?, ?, 0, 'dev', 3, '[\"name\"]', ?, 'member', 'research_education', 'FR',"
            " 'western_europe', '[\"fr\"]', 'active')",
            (PARTNER_ID, STAMP, STAMP, "Laboratoire d'écologie des sols"),
        )
        connection.execute(
            f"INSERT INTO practices ({SYNC_COLUMNS}, title, tutorial_steps, land_use, category, country,"
            " soc_before_t_ha, soc_after_t_ha, partner_id)"
            " VALUES (?, ?, ?, 0, 'dev', NULL, '[]', ?, '[\"Semer\"]', 'cropland', 'agroforestry', 'FR',"
            " 40.0, 42.0, ?)",
            (PRACTICE_ID, STAMP, STAMP, "Couverts végétaux et séquestration", PARTNER_ID),
        )
        connection.execute(
            "INSERT INTO pending_changes (kind, record_id, seq, op, fields, created_at, updated_at, attempts)"
            " VALUES ('practices', ?, 1, 'upsert', '[\"title\"]', ?, ?, 0)",
            (PRACTICE_ID, STAMP, STAMP),
        )
        connection.execute(
            "INSERT INTO device_identity (singleton, device_id, created_at, last_seq)"
            " VALUES (1, 'b5f0a3e2-1111-4c1e-9c55-0a0b0c0d0e0f', ?, 1)",
            (STAMP,),
        )
    connection.close()


def _counts(database: Path) -> dict[str, int]:
    connection = sqlite3.connect(database)
    try:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("partners", "practices", "pending_changes", "device_identity")
        }
    finally:
        connection.close()


def test_upgrade_from_first_revision_keeps_data(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    revisions = _revisions()
    assert revisions[-1] == head_revision()
    upgrade_database(paths.database, paths.backups, revision=revisions[0])
    _fill_first_revision(paths.database)
    expected = _counts(paths.database)
    assert expected == {"partners": 1, "practices": 1, "pending_changes": 1, "device_identity": 1}

    for revision in revisions[1:]:
        assert upgrade_database(paths.database, paths.backups, revision=revision) == revision
        assert _counts(paths.database) == expected, f"rows lost upgrading to {revision}"
    assert current_revision(paths.database) == head_revision()
    if len(revisions) > 1:
        assert list(paths.backups.glob("*.sqlite3")), "no backup was made before upgrading"

    with open_services(paths) as services:
        practice = services.records("practices").get(PRACTICE_ID)
        assert practice.values["title"] == "Couverts végétaux et séquestration"
        assert practice.values["tutorial_steps"] == ["Semer"]
        assert practice.values["partner_id"] == PARTNER_ID
        partner = services.records("partners").get(PARTNER_ID)
        assert partner.base_version == 3
        # Rows stored before the search index existed are searchable after the upgrade.
        found = services.records("practices").list(search="sequestration")
        assert [record.id for record in found] == [PRACTICE_ID]
        status = services.status()
        assert status.pending_changes == 1
        assert status.device_id == "b5f0a3e2-1111-4c1e-9c55-0a0b0c0d0e0f"


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    revisions = _revisions()
    upgrade_database(paths.database, paths.backups, revision=revisions[0])
    _fill_first_revision(paths.database)
    if len(revisions) == 1:
        return
    upgrade_database(paths.database, paths.backups)
    (backup,) = paths.backups.glob("*.sqlite3")
    assert _counts(backup)["partners"] == 1
    assert current_revision(backup) == revisions[0]


def test_upgrade_of_current_database_is_a_no_op(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    upgrade_database(paths.database, paths.backups)
    upgrade_database(paths.database, paths.backups)
    assert not paths.backups.exists() or not list(paths.backups.iterdir())


def test_upgrade_from_0003_keeps_sync_bookkeeping_and_adds_records_to_fetch(tmp_path: Path) -> None:
    from relay_app.store.models import RecordToFetch
    from relay_app.store.types import utc_now
    from relay_app.sync.apply import keys_to_fetch
    from relay_app.sync.data_saver import read_data_saver

    paths = resolve_paths(tmp_path)
    upgrade_database(paths.database, paths.backups, revision="0003")
    _fill_first_revision(paths.database)
    connection = sqlite3.connect(paths.database)
    with connection:
        connection.execute("UPDATE pending_changes SET sent_seq = 1")
        connection.execute(
            "INSERT INTO sync_conflicts (kind, record_id, field, base_value, mine, theirs,"
            " server_version, created_at) VALUES ('partners', ?, 'city', '\"A\"', '\"B\"', '\"C\"',"
            " 4, ?)",
            (PARTNER_ID, STAMP),
        )
        connection.execute(
            "INSERT INTO attachment_uploads (sha256, location, done, updated_at)"
            " VALUES (?, '/api/v1/attachments/uploads/x', 0, ?)",
            ("ab" * 32, STAMP),
        )
        connection.execute(
            "INSERT INTO sync_state (key, value, updated_at) VALUES ('pull_cursor', 'c-12', ?)",
            (STAMP,),
        )
    connection.close()

    assert upgrade_database(paths.database, paths.backups, revision="0004") == "0004"
    connection = sqlite3.connect(paths.database)
    try:
        assert connection.execute("SELECT sent_seq FROM pending_changes").fetchall() == [(1,)]
        assert connection.execute("SELECT mine FROM sync_conflicts").fetchall() == [('"B"',)]
        assert connection.execute("SELECT done FROM attachment_uploads").fetchall() == [(0,)]
        assert connection.execute("SELECT value FROM sync_state").fetchall() == [("c-12",)]
        assert connection.execute("SELECT count(*) FROM sync_records_to_fetch").fetchone() == (0,)
    finally:
        connection.close()

    with open_services(paths) as services:
        assert not read_data_saver(services.database)  # off unless a person turns it on
        with services.database.write() as session:
            session.add(RecordToFetch(kind="partners", record_id=PARTNER_ID, version=5,
                                      created_at=utc_now()))
        assert [(key.kind, key.id) for key in keys_to_fetch(services.database)] == [
            ("partners", PARTNER_ID)
        ]


def test_upgrade_to_0005_numbers_existing_files_in_their_creation_order(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    upgrade_database(paths.database, paths.backups, revision="0004")
    _fill_first_revision(paths.database)
    rows = [  # (id, created_at, deleted): the deleted one takes no place
        ("f-late", "2025-03-01T00:00:00.000000+00:00", 0),
        ("f-early", "2025-01-01T00:00:00.000000+00:00", 0),
        ("f-gone", "2025-02-01T00:00:00.000000+00:00", 1),
        ("f-middle", "2025-02-15T00:00:00.000000+00:00", 0),
    ]
    connection = sqlite3.connect(paths.database)
    with connection:
        for file_id, created, deleted in rows:
            connection.execute(
                f"INSERT INTO attachments ({SYNC_COLUMNS}, deleted_at, owner_kind, owner_id, role,"
                " sha256, media_type, size, filename, caption)"
                " VALUES (?, ?, ?, ?, 'dev', 2, '[]', NULL, 'practices', ?, 'photo', ?,"
                " 'image/jpeg', 10, 'p.jpg', ?)",
                (file_id, created, created, deleted, PRACTICE_ID, "cd" * 32, f"caption {file_id}"),
            )
    connection.close()

    assert upgrade_database(paths.database, paths.backups, revision="0005") == "0005"
    connection = sqlite3.connect(paths.database)
    try:
        found = dict(connection.execute("SELECT id, position FROM attachments").fetchall())
        captions = connection.execute("SELECT count(*) FROM attachments WHERE caption LIKE 'caption %'")
        assert captions.fetchone() == (4,)
    finally:
        connection.close()
    assert found == {"f-early": 0, "f-middle": 1, "f-late": 2, "f-gone": None}

    from relay_app.services.attachments import AttachmentStore
    from relay_app.services.record_files import RecordFileService

    with open_services(paths) as services:
        files = RecordFileService(services.database, AttachmentStore(paths.data_dir / "f"), "dev")
        listed = files.list("practices", PRACTICE_ID, "photo")
        assert [item.id for item in listed] == ["f-early", "f-middle", "f-late"]


def test_upgrade_to_0006_moves_check_in_times_into_the_log(tmp_path: Path) -> None:
    """Tried: a 0005 store with a forum, a checked-in registration (synced), one never checked in
    and a deleted one that was; after 0006, exactly one entry scan per live checked-in
    registration, queued to sync with the next change numbers, and the desk derives from it."""
    revision_file = Path(__file__).parents[2] / "relay_app/store/migrations/versions/0006_checkin_log.py"
    spec = importlib.util.spec_from_file_location("revision_0006", revision_file)
    assert spec is not None and spec.loader is not None
    scan_id_of = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scan_id_of)

    paths = resolve_paths(tmp_path)
    upgrade_database(paths.database, paths.backups, revision="0005")
    _fill_first_revision(paths.database)
    forum, arrived, absent, gone = (
        "f0f0f0f0-0000-4000-8000-000000000001", "a0a0a0a0-0000-4000-8000-000000000002",
        "b0b0b0b0-0000-4000-8000-000000000003", "c0c0c0c0-0000-4000-8000-000000000004",
    )
    checked_in_at = "2026-03-10T08:15:00.000000+00:00"
    connection = sqlite3.connect(paths.database)
    with connection:
        connection.execute(
            f"INSERT INTO forums ({SYNC_COLUMNS}, name, region, start_date, end_date, capacity,"
            " languages) VALUES (?, ?, ?, 0, 'dev', 2, '[]', 'Forum', 'sub_saharan_africa',"
            " '2026-03-10', '2026-03-10', 50, '[]')",
            (forum, STAMP, STAMP),
        )
        for registration, checked, deleted in (
            (arrived, checked_in_at, 0), (absent, None, 0), (gone, checked_in_at, 1)
        ):
            connection.execute(
                f"INSERT INTO registrations ({SYNC_COLUMNS}, forum_id, first_name, last_name,"
                " role, travel_support, consent, status, checked_in_at, checked_in_by)"
                " VALUES (?, ?, ?, ?, 'dev', 4, '[]', ?, 'Awa', 'Ndiaye', 'farmer', 0, 1,"
                " 'registered', ?, ?)",
                (registration, STAMP, STAMP, deleted, forum, checked, "Desk 1" if checked else None),
            )
    connection.close()

    assert upgrade_database(paths.database, paths.backups, revision="0006") == "0006"
    connection = sqlite3.connect(paths.database)
    try:
        scans = connection.execute(
            "SELECT id, registration_id, device_id, device_name, scanned_at, direction, offline"
            " FROM checkins"
        ).fetchall()
        queued = connection.execute(
            "SELECT kind, record_id, seq FROM pending_changes WHERE kind = 'checkins'"
        ).fetchall()
        last_seq = connection.execute("SELECT last_seq FROM device_identity").fetchone()[0]
        kept = connection.execute(
            "SELECT checked_in_at, checked_in_by FROM registrations WHERE id = ?", (arrived,)
        ).fetchone()
    finally:
        connection.close()
    device = "b5f0a3e2-1111-4c1e-9c55-0a0b0c0d0e0f"
    expected_id = scan_id_of.migrated_scan_id(arrived, checked_in_at)
    assert scans == [(expected_id, arrived, device, "Desk 1", checked_in_at, "entry", 1)]
    assert queued == [("checkins", expected_id, 2)] and last_seq == 2
    assert kept == (checked_in_at, "Desk 1")  # kept for apps speaking older protocols

    with open_services(paths) as services:
        person = services.check_ins.attendee(arrived)
        assert person.checked_in and person.checked_in_by == "Desk 1"
        assert not services.check_ins.attendee(absent).checked_in
        assert services.check_ins.counts(forum).checked_in == 1
        assert services.status().pending_changes == 2


def _table_contents(database: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Every table's columns and rows (in rowid order), read with plain sqlite3."""
    connection = sqlite3.connect(database)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'alembic_version' ORDER BY name"
        )]
        contents = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            columns = [description[0] for description in cursor.description]
            contents[table] = (columns, cursor.fetchall())
        return contents
    finally:
        connection.close()


def _schema(database: Path) -> dict[str, str]:
    connection = sqlite3.connect(database)
    try:
        return dict(connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        ).fetchall())
    finally:
        connection.close()


def test_upgrade_from_0006_to_0007_keeps_registrations_and_check_ins(tmp_path: Path) -> None:
    """Tried: a 0006 store with partners, a forum, three registrations (one checked in, one
    deleted), two check-in scans (an entry and its cancellation, one still queued to sync) is
    upgraded to 0007. Every row of every table is unchanged, so is every other table's schema;
    registrations gain an empty ``merged_into`` and ``merge_tombstones_due`` exists, empty; the
    services then read the two live registrations and a head-count of one. (The services are
    opened only after the upgrade: opening them upgrades to head.)"""
    paths = resolve_paths(tmp_path)
    assert upgrade_database(paths.database, paths.backups, revision="0006") == "0006"
    _fill_first_revision(paths.database)
    forum, arrived, absent, gone = (
        "f0f0f0f0-0000-4000-8000-000000000001", "a0a0a0a0-0000-4000-8000-000000000002",
        "b0b0b0b0-0000-4000-8000-000000000003", "c0c0c0c0-0000-4000-8000-000000000004",
    )
    entry, cancelled, undo = (
        "d0d0d0d0-0000-4000-8000-000000000005", "e0e0e0e0-0000-4000-8000-000000000006",
        "e1e1e1e1-0000-4000-8000-000000000007",
    )
    device = "b5f0a3e2-1111-4c1e-9c55-0a0b0c0d0e0f"
    connection = sqlite3.connect(paths.database)
    with connection:
        connection.execute(
            f"INSERT INTO forums ({SYNC_COLUMNS}, name, region, start_date, end_date, capacity,"
            " languages) VALUES (?, ?, ?, 0, 'dev', 2, '[]', 'Forum', 'sub_saharan_africa',"
            " '2026-03-10', '2026-03-10', 50, '[]')",
            (forum, STAMP, STAMP),
        )
        for registration, first_name, deleted in (
            (arrived, "Awa", 0), (absent, "Émile", 0), (gone, "Ines", 1)
        ):
            connection.execute(
                f"INSERT INTO registrations ({SYNC_COLUMNS}, forum_id, first_name, last_name,"
                " email, role, travel_support, consent, status)"
                " VALUES (?, ?, ?, ?, 'dev', 4, '[]', ?, ?, 'Ndiaye', ?, 'farmer', 0, 1, 'registered')",
                (registration, STAMP, STAMP, deleted, forum, first_name, f"{first_name}@example.org"),
            )
        scans = (
            (entry, arrived, "entry", None, 3, "[]"),
            (cancelled, absent, "entry", None, 3, "[]"),
            (undo, absent, "cancel", cancelled, None, "[]"),
        )
        for scan_id, registration, direction, cancels, version, dirty in scans:
            connection.execute(
                "INSERT INTO checkins (id, registration_id, device_id, device_name, scanned_at,"
                " direction, cancels, offline, created_at, updated_at, deleted, origin_device,"
                " base_version, dirty_fields) VALUES (?, ?, ?, 'Desk 1', ?, ?, ?, 1, ?, ?, 0, ?, ?, ?)",
                (scan_id, registration, device, STAMP, direction, cancels, STAMP, STAMP, device,
                 version, dirty),
            )
        connection.execute(
            "INSERT INTO pending_changes (kind, record_id, seq, op, fields, created_at, updated_at,"
            " attempts) VALUES ('checkins', ?, 2, 'upsert', '[]', ?, ?, 0)",
            (undo, STAMP, STAMP),
        )
    connection.close()
    before, schema_before = _table_contents(paths.database), _schema(paths.database)
    assert len(before["checkins"][1]) == 3 and len(before["registrations"][1]) == 3

    assert upgrade_database(paths.database, paths.backups, revision="0007") == "0007"

    after, schema_after = _table_contents(paths.database), _schema(paths.database)
    assert set(after) == set(before) | {"merge_tombstones_due"}
    assert after["merge_tombstones_due"] == (["registration_id", "kept_id", "merged_at"], [])
    for table, (columns, rows) in before.items():
        columns_after, rows_after = after[table]
        if table == "registrations":
            assert columns_after == [*columns, "merged_into"]
            assert [row[:-1] for row in rows_after] == rows
            assert {row[-1] for row in rows_after} == {None}
        else:
            assert (columns_after, rows_after) == (columns, rows), table
    changed = {name for name in schema_before if schema_after.get(name) != schema_before[name]}
    assert changed == {"registrations"}

    with open_services(paths) as services:
        listed = services.records("registrations").list(filters={"forum_id": forum})
        assert sorted(view.id for view in listed) == sorted([arrived, absent])
        assert services.check_ins.counts(forum).checked_in == 1  # Awa's entry; Émile's undone
        assert services.duplicates.duplicates(forum) == []


def test_upgrade_from_0007_to_0008_keeps_every_row_and_adds_empty_import_tables(tmp_path: Path) -> None:
    """Tried: a 0007 store with a partner, a practice and a pending change is upgraded to 0008.
    Every row of every table and every table's schema is unchanged; the three import tables exist,
    empty; the services then list the partner and no imports."""
    from relay_app.imports import list_batches

    paths = resolve_paths(tmp_path)
    assert upgrade_database(paths.database, paths.backups, revision="0007") == "0007"
    _fill_first_revision(paths.database)
    before, schema_before = _table_contents(paths.database), _schema(paths.database)

    assert upgrade_database(paths.database, paths.backups, revision="0008") == "0008"

    after, schema_after = _table_contents(paths.database), _schema(paths.database)
    added = {"import_batches", "import_batch_records", "import_mappings"}
    assert set(after) == set(before) | added
    assert all(after[table][1] == [] for table in added)
    assert all(after[table] == before[table] for table in before)
    assert all(schema_after[name] == sql for name, sql in schema_before.items())
    with open_services(paths) as services:
        assert [view.id for view in services.records("partners").list()] == [PARTNER_ID]
        assert list_batches(services.database) == []


def test_upgrade_from_0008_to_0009_keeps_a_batch_whose_undo_then_leaves_its_updates(tmp_path: Path) -> None:
    """Tried: a 0008 store holding one import of practices (it created the practice and updated
    one more) is upgraded to 0009. Every row and every table's schema is unchanged and
    ``import_batch_updates`` exists, empty; undoing that import then deletes the practice, says
    the updated one keeps the import's values, and leaves the partner alone."""
    from relay_app.imports import list_batches, undo_batch, undo_summary

    paths = resolve_paths(tmp_path)
    assert upgrade_database(paths.database, paths.backups, revision="0008") == "0008"
    _fill_first_revision(paths.database)
    batch = "9b9b9b9b-0000-4000-8000-000000000009"
    connection = sqlite3.connect(paths.database)
    with connection:
        connection.execute(
            "INSERT INTO import_batches (id, kind, file_name, imported_at, created, updated, undone_at)"
            " VALUES (?, 'practices', 'pratiques.xlsx', ?, 1, 1, NULL)",
            (batch, STAMP),
        )
        connection.execute(
            "INSERT INTO import_batch_records (batch_id, record_id, version) VALUES (?, ?, ?)",
            (batch, PRACTICE_ID, STAMP),
        )
    connection.close()
    before, schema_before = _table_contents(paths.database), _schema(paths.database)

    assert upgrade_database(paths.database, paths.backups, revision="0009") == "0009"

    after, schema_after = _table_contents(paths.database), _schema(paths.database)
    assert set(after) == set(before) | {"import_batch_updates"}
    assert after["import_batch_updates"] == (
        ["batch_id", "record_id", "version", "version_before", "previous"], []
    )
    assert all(after[table] == before[table] for table in before)
    assert all(schema_after[name] == sql for name, sql in schema_before.items())
    with open_services(paths) as services:
        [listed] = list_batches(services.database)
        assert (listed.id, listed.created, listed.updated) == (batch, 1, 1)
        result = undo_batch(services.database, services.records("practices"), batch)
        assert (result.deleted, result.restored, result.kept_updates) == (1, 0, 1)
        assert "1 record it updated keeps its new values" in undo_summary(result)
        assert services.records("practices").count() == 0
        assert [view.id for view in services.records("partners").list()] == [PARTNER_ID]
