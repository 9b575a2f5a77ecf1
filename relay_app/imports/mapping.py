"""Which column of a file fills which field of a form.

A header matches a field by its name ("country", "first_name") or by the field's label in
English, French or Spanish ("Pays", "País", "Member or partner"), with case, accents, punctuation
and spacing folded. A header that matches nothing is ignored, with the closest fields (rapidfuzz)
offered as suggestions. A mapping chosen once is remembered for the same set of headers
(``relay_app.imports.memory``) and a mapping file can say it outright (``--mapping FILE.json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from relay_app.forms import Form, form_for
from relay_app.i18n import SUPPORTED_LANGUAGES, _, gettext_in
from relay_app.imports.folding import squeeze
from relay_app.transfer.formats import TransferError

ID_COLUMN = "id"
SUGGESTION_SCORE = 75  # rapidfuzz WRatio (0-100) of folded words worth offering
SUGGESTIONS = 3

# How a column came to its field: shown in the wizard, reported by the CLI.
BY_NAME, BY_LABEL, BY_MEMORY, BY_FILE, BY_PERSON, UNMATCHED = (
    "name", "label", "remembered", "mapping_file", "chosen", "unmatched",
)


@dataclass(frozen=True)
class Column:
    """One column of the file and the field it fills (None: ignored)."""

    header: str
    field: str | None
    how: str
    suggestions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "field": self.field,
            "how": self.how,
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True)
class ColumnMapping:
    kind: str
    columns: tuple[Column, ...]

    def field_of(self, header: str) -> str | None:
        return next((column.field for column in self.columns if column.header == header), None)

    def header_of(self, field: str) -> str | None:
        return next((column.header for column in self.columns if column.field == field), None)

    def used(self) -> list[tuple[str, str]]:
        """(header, field) of every column that fills a field, in file order."""
        return [(column.header, column.field) for column in self.columns if column.field]

    def ignored(self) -> list[Column]:
        return [column for column in self.columns if column.field is None]

    def choose(self, header: str, field: str | None) -> ColumnMapping:
        """The same mapping with ``header`` set to fill ``field`` (None: ignore it)."""
        columns = tuple(
            replace(column, field=field, how=BY_PERSON) if column.header == header else column
            for column in self.columns
        )
        return ColumnMapping(self.kind, columns)

    def problems(self) -> list[str]:
        """Translated sentences for what stops an import: a field filled by two columns."""
        seen: dict[str, str] = {}
        found = []
        for header, field in self.used():
            if field in seen:
                found.append(
                    _("The columns “{first}” and “{second}” both fill the field {field}.").format(
                        first=seen[field], second=header, field=field
                    )
                )
            else:
                seen[field] = header
        return found

    def as_dict(self) -> dict[str, str | None]:
        return {column.header: column.field for column in self.columns}

    def to_json(self) -> list[dict[str, Any]]:
        return [column.to_json() for column in self.columns]


def targets(form: Form) -> tuple[str, ...]:
    """What a column can fill: the record's id, then every field of the form."""
    return (ID_COLUMN, *form.field_names())


@cache
def _aliases(kind: str) -> dict[str, tuple[str, str]]:
    """Squeezed name or label -> (field, how); a field's own name wins over another's label."""
    form = form_for(kind)
    found: dict[str, tuple[str, str]] = {squeeze(ID_COLUMN): (ID_COLUMN, BY_NAME)}
    for field in form.fields:
        found.setdefault(squeeze(field.name), (field.name, BY_NAME))
    for language in SUPPORTED_LANGUAGES:
        for field in form.fields:
            found.setdefault(squeeze(gettext_in(language, field.label)), (field.name, BY_LABEL))
    return found


def suggest(kind: str, header: str) -> tuple[str, ...]:
    """The fields whose name or label is closest to ``header``, best first."""
    from rapidfuzz import fuzz, process

    aliases = _aliases(kind)
    found: list[str] = []
    for alias, _score, _index in process.extract(
        squeeze(header), list(aliases), scorer=fuzz.WRatio, score_cutoff=SUGGESTION_SCORE, limit=12
    ):
        field = aliases[alias][0]
        if field not in found:
            found.append(field)
    return tuple(found[:SUGGESTIONS])


def match_columns(
    kind: str,
    headers: Sequence[str],
    *,
    given: Mapping[str, str | None] | None = None,
    remembered: Mapping[str, str | None] | None = None,
) -> ColumnMapping:
    """Map ``headers`` to fields: ``given`` (a mapping file) first, then what was ``remembered``
    for these headers, then names and labels; a field is filled by one column at most."""
    aliases = _aliases(kind)
    known = set(targets(form_for(kind)))
    taken: set[str] = set()
    columns: list[Column] = []
    for header in headers:
        field, how = None, UNMATCHED
        for source, label in ((given, BY_FILE), (remembered, BY_MEMORY)):
            if source is not None and header in source:
                wanted = source[header]
                field, how = (wanted, label) if wanted in known else (None, label)
                break
        else:
            found = aliases.get(squeeze(header))
            if found is not None and found[0] not in taken:
                field, how = found
        if field is not None:
            taken.add(field)
        suggestions = suggest(kind, header) if field is None and how == UNMATCHED else ()
        columns.append(Column(header, field, how, tuple(s for s in suggestions if s not in taken)))
    return ColumnMapping(kind, tuple(columns))


def read_mapping_file(path: str | Path, kind: str) -> dict[str, str | None]:
    """A mapping file: a JSON object {"header": "field" or null}, or {"columns": {...}}."""
    source = Path(path)
    try:
        document = json.loads(source.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise TransferError(
            _("{name}: cannot be read ({reason}).").format(name=source.name, reason=error.strerror or error)
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TransferError(_("{name}: not valid JSON.").format(name=source.name)) from None
    if isinstance(document, dict) and isinstance(document.get("columns"), dict):
        document = document["columns"]
    if not isinstance(document, dict) or not all(
        isinstance(value, str) or value is None for value in document.values()
    ):
        raise TransferError(
            _("{name}: a mapping is a JSON object from column headers to field names (or null).").format(
                name=source.name
            )
        )
    known = set(targets(form_for(kind)))
    unknown = sorted({value for value in document.values() if value and value not in known})
    if unknown:
        raise TransferError(
            _("{name}: {fields} is not a field of {kind}.").format(
                name=source.name, fields=", ".join(unknown), kind=kind
            )
        )
    return {str(key).strip(): value for key, value in document.items()}


def headers_key(kind: str, headers: Iterable[str]) -> str:
    """The key a mapping is remembered under: the kind and the sorted folded headers."""
    return kind + ":" + "|".join(sorted(squeeze(header) for header in headers))
