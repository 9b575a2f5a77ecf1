"""Spreadsheet imports: one engine (read, map, coerce, validate, find duplicates, write one
undoable batch) behind the window's wizard and the command line. No Qt here."""

from relay_app.imports.batches import (
    BatchView,
    UndoRefused,
    UndoResult,
    list_batches,
    undo_batch,
    undo_summary,
)
from relay_app.imports.duplicates import DuplicateMatch
from relay_app.imports.engine import (
    CheckedRow,
    Duplicates,
    ImportFile,
    ImportOutcome,
    Preview,
    check,
    open_import,
    write,
    write_rejects,
)
from relay_app.imports.mapping import Column, ColumnMapping

__all__ = [
    "BatchView",
    "CheckedRow",
    "Column",
    "ColumnMapping",
    "DuplicateMatch",
    "Duplicates",
    "ImportFile",
    "ImportOutcome",
    "Preview",
    "UndoRefused",
    "UndoResult",
    "check",
    "list_batches",
    "open_import",
    "undo_batch",
    "undo_summary",
    "write",
    "write_rejects",
]
