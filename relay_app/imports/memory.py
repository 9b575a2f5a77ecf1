"""The column mapping a person chose, remembered for the next file with the same headers.

Kept in the database (``import_mappings``), so the window and the command line share it, keyed by
the kind and the sorted folded headers: "Pays;Nom" and "nom;PAYS" are the same set.
"""

from __future__ import annotations

from collections.abc import Sequence

from relay_app.imports.mapping import ColumnMapping, headers_key
from relay_app.store.database import Database
from relay_app.store.models import ImportMapping
from relay_app.store.types import utc_now


def remembered(database: Database, kind: str, headers: Sequence[str]) -> dict[str, str | None] | None:
    """The mapping last used for these headers, or None."""
    with database.read() as session:
        row = session.get(ImportMapping, headers_key(kind, headers))
        return dict(row.columns) if row is not None else None


def remember(database: Database, mapping: ColumnMapping) -> None:
    key = headers_key(mapping.kind, [column.header for column in mapping.columns])
    with database.write() as session:
        row = session.get(ImportMapping, key)
        if row is None:
            session.add(
                ImportMapping(
                    headers_key=key, kind=mapping.kind, columns=mapping.as_dict(), updated_at=utc_now()
                )
            )
        else:
            row.columns = mapping.as_dict()
            row.updated_at = utc_now()
