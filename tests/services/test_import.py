"""Imports are all-or-nothing, with a report naming exactly the bad rows."""

from __future__ import annotations

from sqlalchemy import func, select

from relay_app.services import Services
from relay_app.store.models import PendingChange
from relay_app.transfer.reading import SourceRow
from tests import factories

BAD_ROWS = {17: ("email", "invalid_email"), 503: ("college", "invalid_choice"), 998: ("name", "required")}


def _thousand_rows() -> list[SourceRow]:
    rows = []
    for index in range(1000):
        number = index + 2  # as in a spreadsheet: the header is row 1
        values = {k: v for k, v in factories.partner(name=f"Partner {index}").items()}
        values["languages"] = "fr; en"
        if number in BAD_ROWS:
            field, _code = BAD_ROWS[number]
            values[field] = {"email": "nobody-at-example", "college": "astronauts", "name": ""}[field]
        rows.append(SourceRow(number=number, values=values))
    return rows


def _pending(services: Services) -> int:
    with services.database.read() as session:
        return session.scalar(select(func.count()).select_from(PendingChange)) or 0


def test_three_bad_rows_out_of_a_thousand_write_nothing(services: Services) -> None:
    report = services.import_rows("partners", _thousand_rows())
    assert report.total == 1000
    assert report.written == 0
    assert [(e.row, e.field, e.code) for e in report.errors] == [
        (row, field, code) for row, (field, code) in sorted(BAD_ROWS.items())
    ]
    assert services.records("partners").count() == 0
    assert _pending(services) == 0


def test_clean_import_writes_every_row_with_progress(services: Services) -> None:
    rows = [row for row in _thousand_rows() if row.number not in BAD_ROWS]
    seen: list[tuple[int, int]] = []
    report = services.import_rows("partners", rows, progress=lambda done, total: seen.append((done, total)))
    assert report.ok and report.created == 997
    assert services.records("partners").count() == 997
    assert _pending(services) == 997
    assert seen and seen[-1][0] <= seen[-1][1] == 2 * 997
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_dry_run_validates_without_writing(services: Services) -> None:
    rows = [SourceRow(2, factories.partner()), SourceRow(3, factories.partner(country="XX"))]
    report = services.import_rows("partners", rows, dry_run=True)
    assert [(e.row, e.field) for e in report.errors] == [(3, "country")]
    report = services.import_rows("partners", rows[:1], dry_run=True)
    assert report.ok and report.written == 0
    assert services.records("partners").count() == 0


def test_reimport_with_ids_updates_instead_of_duplicating(services: Services) -> None:
    created = services.records("partners").create(factories.partner(city="Dakar"))
    exported = created.to_json()
    exported["city"] = "Thiès"
    same = services.records("partners").create(factories.partner(name="Unchanged")).to_json()
    report = services.import_rows("partners", [SourceRow(2, exported), SourceRow(3, same)])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert services.records("partners").get(created.id).values["city"] == "Thiès"
    assert services.records("partners").count() == 2


def test_cancel_from_progress_writes_nothing(services: Services) -> None:
    rows = [row for row in _thousand_rows() if row.number not in BAD_ROWS]

    def cancel_while_writing(done: int, total: int) -> None:
        if done > len(rows) + 400:
            raise KeyboardInterrupt("cancelled by the user")

    try:
        services.import_rows("partners", rows, progress=cancel_while_writing)
    except KeyboardInterrupt:
        pass
    else:  # pragma: no cover - the import must have been interrupted
        raise AssertionError("the import was not cancelled")
    assert services.records("partners").count() == 0
    assert _pending(services) == 0


def test_bad_id_and_missing_reference_are_row_errors(services: Services) -> None:
    forum = services.records("forums").create(factories.forum())
    rows = [
        SourceRow(2, factories.registration(forum.id)),
        SourceRow(3, {**factories.registration(forum.id), "id": "not-a-uuid"}),
        SourceRow(4, factories.registration("1a2b3c4d-0000-4000-8000-000000000000")),
    ]
    report = services.import_rows("registrations", rows)
    assert [(e.row, e.field, e.code) for e in report.errors] == [
        (3, "id", "invalid_reference"), (4, "forum_id", "invalid_reference")]
    assert services.records("registrations").count() == 0
