"""Undo of an import: the records it created go, the records it updated get their old values back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from relay_app.imports import Duplicates, UndoRefused, check, list_batches, open_import, undo_batch, write
from relay_app.imports.batches import undo_summary
from relay_app.services import Services
from relay_app.services.records import RecordService
from relay_app.store.models import ImportBatchUpdate, PendingChange
from tests.imports.files import write_csv

HEADERS = ["Name", "Member or partner", "College", "Country", "City", "Languages"]


def _file(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    return write_csv(tmp_path / name, [HEADERS, *rows])


def _import(service: RecordService, path: Path, policy: Duplicates | None = None):  # type: ignore[no-untyped-def]
    return write(service, check(service, open_import(service, path)), duplicates=policy)


@pytest.fixture
def first(partners: RecordService, tmp_path: Path) -> dict[str, dict]:
    """Two partners imported, then one typed; what they hold before the second import."""
    _import(partners, _file(tmp_path, "first.csv", [
        ["Coopérative des éleveurs", "Member", "Research and education", "SN", "Thiès", "French"],
        ["Réseau Sahel", "Partner", "Research and education", "BF", "", ""],
    ]))
    partners.create({"name": "Terres du Mali", "kind": "partner", "college": "research_education",
                     "country": "ML", "city": "Bamako"})
    return {view.values["name"]: view.values for view in partners.list()}


def _second(partners: RecordService, tmp_path: Path) -> str:
    """The same partners again with new values, and one new partner, imported with update."""
    outcome = _import(partners, _file(tmp_path, "second.csv", [
        ["Coopérative des éleveurs", "Member", "Civil society and NGOs", "SN", "Kaolack", "English"],
        ["Réseau Sahel", "Partner", "Research and education", "BF", "Ouagadougou", "French"],
        ["Terres du Mali", "Partner", "Research and education", "ML", "Ségou", ""],
        ["Nouveau venu", "Partner", "Research and education", "NE", "Niamey", ""],
    ]), Duplicates.UPDATE)
    assert (outcome.created, outcome.updated) == (1, 3)
    assert outcome.batch_id is not None
    return outcome.batch_id


def _outbox(services: Services) -> dict[str, PendingChange]:
    with services.database.read() as session:
        return {entry.record_id: entry for entry in session.scalars(select(PendingChange))}


def test_undo_puts_back_the_values_the_import_replaced_as_edits_that_sync(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    batch = _second(partners, tmp_path)
    assert {v.values["city"] for v in partners.list()} == {"Kaolack", "Ouagadougou", "Ségou", "Niamey"}
    with services.database.write() as session:  # as after a sync: nothing waits to be sent
        session.execute(delete(PendingChange))

    result = undo_batch(services.database, partners, batch)

    assert (result.deleted, result.restored, result.kept_updates) == (1, 3, 0)
    now = {view.values["name"]: view.values for view in partners.list()}
    assert now == first  # every field of every record as before the second import
    outbox = _outbox(services)
    ids = {view.values["name"]: view.id for view in partners.list()}
    cooperative = outbox[ids["Coopérative des éleveurs"]]
    assert cooperative.op == "upsert" and {"city", "college", "languages"} <= set(cooperative.fields)
    assert outbox[ids["Réseau Sahel"]].fields == ["city", "languages"]
    assert [e.op for e in outbox.values() if e.record_id not in ids.values()] == ["delete"]
    assert undo_summary(result) == (
        "Import undone: 1 record deleted. 3 records it updated have their previous values again."
    )
    assert list_batches(services.database)[0].undone_at is not None


def test_only_the_fields_the_import_changed_are_kept_and_two_rows_keep_the_first_old_value(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    path = _file(tmp_path, "twice.csv", [
        ["Terres du Mali", "Partner", "Research and education", "ML", "Ségou", ""],
        ["Terres du Mali", "Partner", "Research and education", "ML", "Kayes", ""],
    ])
    outcome = _import(partners, path, Duplicates.UPDATE)
    with services.database.read() as session:
        [saved] = session.scalars(select(ImportBatchUpdate)).all()
    assert saved.previous == {"city": "Bamako"}
    assert outcome.batch_id is not None
    assert undo_batch(services.database, partners, outcome.batch_id).restored == 1
    assert {view.values["name"]: view.values for view in partners.list()} == first


def test_undo_is_refused_when_an_updated_record_was_edited_since_and_changes_nothing(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    batch = _second(partners, tmp_path)
    sahel = next(v for v in partners.list() if v.values["name"] == "Réseau Sahel")
    partners.update(sahel.id, {"city": "Bobo-Dioulasso"})
    before = {view.id: view.values for view in partners.list()}

    with pytest.raises(UndoRefused, match="Réseau Sahel"):
        undo_batch(services.database, partners, batch)

    assert {view.id: view.values for view in partners.list()} == before
    assert list_batches(services.database)[0].undone_at is None


def test_undo_is_refused_when_an_updated_record_was_deleted_since(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    batch = _second(partners, tmp_path)
    mali = next(v for v in partners.list() if v.values["name"] == "Terres du Mali")
    partners.delete(mali.id)
    with pytest.raises(UndoRefused, match="Terres du Mali"):
        undo_batch(services.database, partners, batch)
    assert partners.count() == 3  # the new partner is still here


def test_a_batch_without_saved_values_deletes_what_it_created_and_says_the_updates_stay(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    batch = _second(partners, tmp_path)
    with services.database.write() as session:  # as a batch imported before the values were kept
        session.execute(delete(ImportBatchUpdate))

    result = undo_batch(services.database, partners, batch)

    assert (result.deleted, result.restored, result.kept_updates) == (1, 0, 3)
    assert undo_summary(result) == (
        "Import undone: 1 record deleted. 3 records it updated keep their new values."
    )
    assert {v.values["city"] for v in partners.list()} == {"Kaolack", "Ouagadougou", "Ségou"}


def test_after_undoing_the_later_import_the_earlier_one_can_be_undone_too(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    second = _second(partners, tmp_path)
    earlier = next(b for b in list_batches(services.database) if b.id != second)
    undo_batch(services.database, partners, second)

    result = undo_batch(services.database, partners, earlier.id)

    assert result.deleted == 2  # what the first import created, put back as it had left it
    assert [view.values["name"] for view in partners.list()] == ["Terres du Mali"]


def test_a_record_edited_between_two_imports_keeps_the_earlier_import_from_being_undone(
    services: Services, partners: RecordService, first: dict[str, dict], tmp_path: Path
) -> None:
    sahel = next(v for v in partners.list() if v.values["name"] == "Réseau Sahel")
    partners.update(sahel.id, {"city": "Bobo-Dioulasso"})
    second = _second(partners, tmp_path)
    earlier = next(b for b in list_batches(services.database) if b.id != second)
    undo_batch(services.database, partners, second)
    assert partners.get(sahel.id).values["city"] == "Bobo-Dioulasso"  # as the edit left it

    with pytest.raises(UndoRefused, match="Réseau Sahel"):
        undo_batch(services.database, partners, earlier.id)
