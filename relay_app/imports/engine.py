"""The import engine behind the window's wizard and ``relay-app records import`` alike.

1. ``open_import``: read the file as text (``reading``) and propose a column mapping
   (``mapping``; a mapping file or the one remembered for these headers comes first).
2. ``check``: every row of the whole file mapped, its code-list labels turned into codes
   (``values``), validated by the one form validator and its references checked in bulk; then
   the valid rows compared with the records already here and with the earlier rows of the file
   (``duplicates``).
3. ``write``: all or nothing, or only the valid rows; each duplicate skipped, updated or created
   as asked (a row repeating an earlier row of the file, when updated, gives its non-empty values
   to the record that row creates); one transaction, after a backup, recorded as one batch that
   can be undone (``batches``). ``write_rejects`` saves the rows not imported, with their errors, as an XLSX
   file to fix and import again.

Progress callbacks report ``(done, total)``; raising from one cancels, and nothing is written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select

from relay_app.i18n import _
from relay_app.imports.batches import ReplacedValues, record_batch
from relay_app.imports.duplicates import NAME_FIELDS, DuplicateMatch, find_duplicates, names_of
from relay_app.imports.mapping import ID_COLUMN, ColumnMapping, match_columns, read_mapping_file
from relay_app.imports.memory import remember, remembered
from relay_app.imports.reading import Sheet, read_sheet
from relay_app.imports.values import RememberedCoercion, ValueReader
from relay_app.services.importing import RowError
from relay_app.services.outbox import reserve_seqs
from relay_app.services.records import CHUNK, RecordService, is_uuid
from relay_app.store.backups import take_backup
from relay_app.transfer import FileFormat, write_table

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500
BULK = 2000  # records per bulk INSERT: progress (and Cancel) between them
REPEATED_SHARE = 4  # a column with at most a quarter as many distinct values as rows repeats
REPEAT_SAMPLE = 2000


class Duplicates(StrEnum):
    """What to do with a row that looks like an existing record."""

    REPORT = "report"  # hold the row back and say so (the default for anything but the same id)
    SKIP = "skip"
    UPDATE = "update"
    CREATE = "create"


@dataclass
class ImportFile:
    """A file read and a mapping proposed for it: what the mapping page shows."""

    kind: str
    path: Path
    sheet: Sheet
    mapping: ColumnMapping


@dataclass
class CheckedRow:
    number: int
    cells: Mapping[str, Any]  # header -> cell, as read
    cleaned: dict[str, Any] | None  # None when the row has errors
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    """The whole file checked: every row's errors, and the duplicates of the valid rows."""

    file: ImportFile
    mapping: ColumnMapping
    rows: list[CheckedRow]
    duplicates: dict[int, DuplicateMatch]

    @property
    def kind(self) -> str:
        return self.file.kind

    @property
    def valid_count(self) -> int:
        return sum(row.valid for row in self.rows)

    @property
    def invalid_count(self) -> int:
        return len(self.rows) - self.valid_count

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def header_of(self, error: RowError) -> str | None:
        """The column a cell error belongs to (None for a field no column fills)."""
        return self.mapping.header_of(error.field) if error.field else None


@dataclass
class ImportOutcome:
    total: int
    valid_only: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # duplicates skipped as asked
    merged: int = 0  # rows repeating an earlier row of the file, their values put on its record
    held_back: list[DuplicateMatch] = field(default_factory=list)  # duplicates nobody decided on
    invalid: int = 0  # rows with errors, not imported
    batch_id: str | None = None

    @property
    def written(self) -> int:
        return self.created + self.updated

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "merged": self.merged,
            "held_back": [match.to_json() for match in self.held_back],
            "invalid": self.invalid,
            "batch_id": self.batch_id,
        }


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """The cyclic garbage collector off while a whole file is turned into rows: it would scan the
    growing heap of (acyclic) row dicts again and again, a fifth of a 50,000-row check."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def open_import(
    service: RecordService, path: str | Path, *, mapping_file: str | Path | None = None
) -> ImportFile:
    """Read ``path`` and propose how its columns fill the fields of ``service.kind``."""
    source = Path(path)
    with without_gc_pauses():
        sheet = read_sheet(source)
    given = read_mapping_file(mapping_file, service.kind) if mapping_file is not None else None
    memory = remembered(service.database, service.kind, sheet.headers)
    mapping = match_columns(service.kind, sheet.headers, given=given, remembered=memory)
    return ImportFile(service.kind, source, sheet, mapping)


def check(
    service: RecordService,
    opened: ImportFile,
    mapping: ColumnMapping | None = None,
    *,
    progress: Progress | None = None,
) -> Preview:
    """Validate every row of the file under ``mapping`` and find the duplicates of the valid ones."""
    with without_gc_pauses():
        return _check(service, opened, mapping or opened.mapping, progress)


def _check(
    service: RecordService, opened: ImportFile, mapping: ColumnMapping, progress: Progress | None
) -> Preview:
    used = mapping.used()
    references = {
        name: names_of(service.database, service.form.field(name).reference or "")
        for _header, name in used
        if name != ID_COLUMN and service.form.field(name).reference in NAME_FIELDS
    }
    reader = ValueReader(service.form, references)
    coerce = RememberedCoercion(service.form, also=_repeating_columns(opened.sheet, used))
    validate = service.form.validate
    rows: list[CheckedRow] = []
    total = len(opened.sheet.rows)
    id_message = _("The id must be one written by Relay, or left empty.")
    first_row_of: dict[str, int] = {}
    for index, source in enumerate(opened.sheet.rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, total)
        values = reader.read({name: source.values.get(header) for header, name in used})
        requested = values.pop(ID_COLUMN, None)
        result = validate(values, coerce=coerce)
        errors = [RowError(source.number, e.field, e.code, e.message) for e in result.errors]
        requested_text = str(requested).strip() if requested not in (None, "") else ""
        if requested_text and not is_uuid(requested_text):
            errors.insert(0, RowError(source.number, ID_COLUMN, "invalid_reference", id_message))
        elif requested_text in first_row_of:
            message = _("This id is on row {row} too; a record is imported once.").format(
                row=first_row_of[requested_text]
            )
            errors.insert(0, RowError(source.number, ID_COLUMN, "duplicate_id", message))
        elif requested_text:
            first_row_of[requested_text] = source.number
        cleaned = None
        if not errors:
            cleaned = result.cleaned
            cleaned[ID_COLUMN] = requested_text or None
        rows.append(CheckedRow(source.number, source.values, cleaned, errors))
    valid = [row for row in rows if row.cleaned is not None]
    references = service.reference_errors_by_record([row.cleaned or {} for row in valid])
    for row, problems in zip(valid, references, strict=True):
        if problems:
            row.errors.extend(RowError(row.number, e.field, e.code, e.message) for e in problems)
            row.cleaned = None
    if progress is not None:
        progress(total, total)
    duplicates = find_duplicates(
        service.database, service.kind, [(row.number, row.cleaned) for row in rows if row.cleaned]
    )
    return Preview(opened, mapping, rows, duplicates)


def _repeating_columns(sheet: Sheet, used: Sequence[tuple[str, str]]) -> list[str]:
    """The fields whose column holds mostly repeated values (a city, a status), judged on the first
    rows: worth remembering. Lists (JSON files) are never remembered."""
    sample = sheet.rows[:REPEAT_SAMPLE]
    found = []
    for header, name in used:
        cells = [row.values.get(header) for row in sample]
        if any(isinstance(cell, list | dict) for cell in cells):
            continue
        if len(set(cells)) * REPEATED_SHARE < len(cells):
            found.append(name)
    return found


def default_decision(match: DuplicateMatch) -> Duplicates:
    """A row naming an existing record by its id updates it (an edited export); the rest wait."""
    return Duplicates.UPDATE if match.reason == "id" else Duplicates.REPORT


def write(
    service: RecordService,
    preview: Preview,
    *,
    valid_only: bool = False,
    duplicates: Duplicates | None = None,
    decisions: Mapping[int, Duplicates] | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Write the checked rows as one undoable batch (or nothing: see the module docstring).

    ``duplicates`` decides for every duplicate, ``decisions`` row by row (over ``duplicates``);
    without either, a row with an existing id updates that record and other duplicates are held
    back. Without ``valid_only``, one invalid row means nothing is written.
    """
    outcome = ImportOutcome(total=len(preview.rows), valid_only=valid_only, invalid=preview.invalid_count)
    if preview.invalid_count and not valid_only:
        return outcome
    plan: list[tuple[CheckedRow, Duplicates | None, DuplicateMatch | None]] = []
    new_at: dict[int, int] = {}  # row number -> its place in the plan, for the rows made new records
    mapped = _mapped_fields(service, preview.mapping)
    for row in preview.rows:
        if row.cleaned is None:
            continue
        match = preview.duplicates.get(row.number)
        decision = None
        if match is not None:
            decision = (decisions or {}).get(row.number) or duplicates or default_decision(match)
            if decision is Duplicates.REPORT:
                outcome.held_back.append(match)
                continue
            if decision is Duplicates.SKIP:
                outcome.skipped += 1
                continue
            if decision is Duplicates.UPDATE and match.same_row is not None:
                if _merge_into_earlier(service, mapped, plan, new_at.get(match.same_row), row):
                    outcome.merged += 1
                else:
                    outcome.held_back.append(match)
                continue
        else:
            new_at[row.number] = len(plan)
        plan.append((row, decision, match))
    remember(service.database, preview.mapping)
    if not plan:
        return outcome
    take_backup(service.database.path, "import")  # a whole file at once: one step back must be possible
    _write_plan(service, preview, plan, outcome, progress)
    return outcome


def _merge_into_earlier(
    service: RecordService,
    mapped: Sequence[str],
    plan: list[tuple[CheckedRow, Duplicates | None, DuplicateMatch | None]],
    index: int | None,
    row: CheckedRow,
) -> bool:
    """Put the non-empty values of ``row`` (of the mapped fields) on the record the earlier row at
    ``plan[index]`` creates. False, and nothing changed, should the two together break a rule across
    fields (none of today's can be: each row is valid alone): the row is then held back."""
    if index is None or row.cleaned is None:
        return False
    earlier = plan[index][0]
    kept = dict(earlier.cleaned or {})
    given = kept.pop(ID_COLUMN, None) or row.cleaned.get(ID_COLUMN)
    later = {name: row.cleaned[name] for name in mapped if row.cleaned.get(name) not in (None, "", [])}
    result = service.form.validate({**kept, **later})
    if result.errors:
        return False
    plan[index] = (replace(earlier, cleaned={**result.cleaned, ID_COLUMN: given}), None, None)
    return True


def _write_plan(
    service: RecordService,
    preview: Preview,
    plan: Sequence[tuple[CheckedRow, Duplicates | None, DuplicateMatch | None]],
    outcome: ImportOutcome,
    progress: Progress | None,
) -> None:
    model = service.model
    mapped = _mapped_fields(service, preview.mapping)
    targets = [
        match.record_id for _row, decision, match in plan
        if decision is Duplicates.UPDATE and match is not None and match.record_id is not None
    ]
    created: list[tuple[str, Any]] = []
    previous: dict[str, dict[str, Any]] = {}  # id -> the values the import replaced, as they were first
    versions_before: dict[str, Any] = {}  # id -> its updated_at before the import
    with service.database.write() as session, session.no_autoflush:
        existing = {}
        for start in range(0, len(targets), CHUNK):
            chunk = targets[start : start + CHUNK]
            found = session.scalars(select(model).where(model.id.in_(chunk)))
            existing.update((row.id, row) for row in found)
        seqs = iter(reserve_seqs(session, len(plan)))
        new: list[tuple[dict[str, Any], str | None]] = []
        new_seqs: list[int] = []
        updates: list[tuple[Any, dict[str, Any], int, dict[str, Any]]] = []  # row, values, seq, before
        for row, decision, match in plan:
            cleaned = dict(row.cleaned or {})
            requested = cleaned.pop(ID_COLUMN, None)
            if decision is Duplicates.UPDATE and match is not None and match.record_id is not None:
                target = existing[match.record_id]
                current = service.view(target).values
                versions_before.setdefault(target.id, target.updated_at)
                merged = {**current, **{name: cleaned[name] for name in mapped}}
                updates.append((target, merged, next(seqs), current))
                continue
            if decision is Duplicates.CREATE and match is not None and match.reason == "id":
                requested = None  # the id is taken: the copy gets its own
            new.append((cleaned, requested))
            new_seqs.append(next(seqs))
        for start in range(0, len(updates), CHUNK):
            if progress is not None:
                progress(start, len(plan))
            chunk_of = updates[start : start + CHUNK]
            answers = service.apply_many(
                session, [(target, values) for target, values, _seq, _before in chunk_of],
                [seq for _target, _values, seq, _before in chunk_of],
            )
            for (target, _values, _seq, current), changed in zip(chunk_of, answers, strict=True):
                if not changed:
                    outcome.unchanged += 1
                    continue
                outcome.updated += 1
                old_values = previous.setdefault(target.id, {})
                for name in changed:  # two rows updating one record: the first value is the old one
                    old_values.setdefault(name, current[name])
        session.flush()
        for start in range(0, len(new), BULK):
            if progress is not None:
                progress(len(updates) + start, len(plan))
            chunk = slice(start, start + BULK)
            created.extend(service.insert_many(session, new[chunk], new_seqs[chunk]))
        outcome.created = len(created)
        replaced = {
            record_id: ReplacedValues(
                service.form.to_json(values), existing[record_id].updated_at, versions_before[record_id]
            )
            for record_id, values in previous.items()
        }
        outcome.batch_id = record_batch(
            session, service.kind, preview.file.path.name, created, outcome.updated, replaced
        )
    if progress is not None:
        progress(len(plan), len(plan))


def _mapped_fields(service: RecordService, mapping: ColumnMapping) -> list[str]:
    """The fields an update may change: those a column fills, and those derived from them."""
    names = {name for _header, name in mapping.used() if name != ID_COLUMN}
    for derivation in service.form.derivations:
        if any(source in names for source in derivation.fields):
            names.add(derivation.target)
    return [name for name in service.form.field_names() if name in names]


def error_column() -> str:
    return _("Errors")


def write_rejects(preview: Preview, path: str | Path) -> int:
    """Save the rows with errors as an XLSX file: their cells as read, and an errors column."""
    errors_header = error_column()
    headers = [*preview.file.sheet.headers, errors_header]
    rows = []
    for row in preview.rows:
        if row.valid:
            continue
        messages = "; ".join(
            f"{preview.header_of(error) or error.field}: {error.message}" if error.field else error.message
            for error in row.errors
        )
        rows.append({**{header: row.cells.get(header) for header in preview.file.sheet.headers},
                     errors_header: messages})
    return write_table(Path(path), FileFormat.XLSX, headers, rows)
