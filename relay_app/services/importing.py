"""All-or-nothing imports of rows read from a file, with a row-by-row error report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from relay_app.i18n import _
from relay_app.services.outbox import reserve_seqs
from relay_app.services.records import RecordService, is_uuid
from relay_app.store.backups import take_backup
from relay_app.transfer.reading import SourceRow


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    code: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


@dataclass
class ImportReport:
    total: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> int:
        return self.created + self.updated

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": [error.to_json() for error in self.errors],
        }


Progress = Callable[[int, int], None]
PROGRESS_EVERY = 200


def import_rows(
    service: RecordService,
    rows: Sequence[SourceRow],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then write them all in one transaction, or write nothing.

    ``progress(done, total)`` is called as rows are validated and then written (``done`` runs up to
    twice ``total``); an exception raised by it cancels the import and nothing is written.

    A row whose ``id`` names an existing record updates it (only the fields that differ change and
    sync); any other row creates a record, keeping its ``id`` when it has one, so a file exported from
    Relay, edited in a spreadsheet and imported again updates instead of duplicating.
    """
    report = ImportReport(total=len(rows), dry_run=dry_run)
    cleaned_rows: list[tuple[SourceRow, dict[str, Any]]] = []
    steps = 2 * len(rows)
    for number, source in enumerate(rows, start=1):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, steps)
        result = service.form.validate(source.values)
        requested = source.values.get("id")
        if requested and not is_uuid(str(requested)):
            message = _("The id must be one written by Relay, or left empty.")
            report.errors.append(RowError(source.number, "id", "invalid_reference", message))
            continue
        if result.errors:
            report.errors.extend(
                RowError(source.number, error.field, error.code, error.message) for error in result.errors
            )
        else:
            cleaned_rows.append((source, result.cleaned))
    reference_errors = service.reference_errors_by_record([cleaned for _source, cleaned in cleaned_rows])
    for (source, _cleaned), errors in zip(cleaned_rows, reference_errors, strict=True):
        report.errors.extend(RowError(source.number, e.field, e.code, e.message) for e in errors)
    report.errors.sort(key=lambda error: error.row)
    if report.errors or dry_run:
        return report

    take_backup(service.database.path, "import")  # a whole file at once: one step back must be possible
    with service.database.write() as session, session.no_autoflush:
        model = service.model
        ids = [str(source.values["id"]) for source, _cleaned in cleaned_rows if source.values.get("id")]
        existing = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            existing.update(
                (row.id, row) for row in session.scalars(select(model).where(model.id.in_(chunk)))
            )
        seqs = iter(reserve_seqs(session, len(cleaned_rows)))
        for number, (source, cleaned) in enumerate(cleaned_rows, start=len(rows) + 1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, steps)
            requested = str(source.values["id"]) if source.values.get("id") else None
            row = existing.get(requested) if requested else None
            if row is None:
                existing_row = service.insert(session, cleaned, requested_id=requested, seq=next(seqs))
                if requested:
                    existing[requested] = existing_row
                report.created += 1
            elif service.apply(session, row, cleaned, seq=next(seqs)):
                report.updated += 1
            else:
                report.unchanged += 1
    return report
