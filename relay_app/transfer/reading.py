"""Read the rows of a CSV, XLSX, JSON or GeoJSON file into plain dictionaries.

Every problem with the file itself (not UTF-8, not a workbook, bad JSON, a header that
cannot name the columns) becomes a ``TransferError`` with one translated line; checking
the values against a form is the services' job. Row numbers are the ones a person sees:
the spreadsheet row for CSV/XLSX (header = 1), the 1-based position for JSON.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from relay_app.i18n import _
from relay_app.transfer.formats import FileFormat, TransferError
from relay_app.transfer.formulas import unmark

# Excel's own CSV export uses ';' where ',' is the decimal separator (French, Spanish...).
_DELIMITERS = (",", ";")
# Quoted literals and [colour]/[$-locale] sections say nothing about whether a format shows a time.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]')


@dataclass(frozen=True)
class SourceRow:
    """One non-empty row of an imported file, keyed by its (stripped) header names."""

    number: int
    values: dict[str, Any]


def read_rows(path: str | os.PathLike[str]) -> list[SourceRow]:
    """Read every non-empty row of ``path``; the format comes from its extension."""
    source = Path(path)
    fmt = FileFormat.from_path(source)
    _check_readable(source)
    if fmt is FileFormat.CSV:
        return _read_csv(source)
    if fmt is FileFormat.XLSX:
        return _read_xlsx(source)
    return _read_json(source, fmt)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise TransferError(_("{name}: file not found.").format(name=path.name))
    if path.is_dir():
        raise TransferError(_("{name}: is a folder, not a file.").format(name=path.name))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TransferError(
            _("{name}: cannot be read ({reason}).").format(name=path.name, reason=error.strerror or error)
        ) from None


def _decode_text(path: Path, data: bytes) -> str:
    # NUL bytes never occur in UTF-8 text; they mean a binary file or UTF-16 ("Unicode text").
    if b"\x00" in data:
        raise TransferError(_not_utf8(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TransferError(_not_utf8(path)) from None


def _not_utf8(path: Path) -> str:
    return _("{name}: not a UTF-8 text file; save it as “CSV UTF-8” and try again.").format(name=path.name)


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | dict) and not value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


# --- tables (CSV and XLSX share the header and row rules) -------------------------------


def header_names(path: Path, cells: Sequence[Any]) -> list[str]:
    names = ["" if cell is None else str(cell).strip() for cell in cells]
    while names and not names[-1]:  # spreadsheets often carry empty trailing columns
        names.pop()
    seen: dict[str, int] = {}
    for column, name in enumerate(names, start=1):
        if not name:
            raise TransferError(
                _("{name}: column {column} of the header row has no name.").format(
                    name=path.name, column=column
                )
            )
        key = name.casefold()
        if key in seen:
            raise TransferError(
                _("{name}: the header “{header}” appears twice (columns {first} and {second}).").format(
                    name=path.name, header=name, first=seen[key], second=column
                )
            )
        seen[key] = column
    return names


def table_rows(path: Path, records: Iterable[Sequence[Any]]) -> list[SourceRow]:
    """Turn spreadsheet rows (already typed) into SourceRows; the first non-empty row is the header."""
    header: list[str] | None = None
    rows: list[SourceRow] = []
    for number, cells in enumerate(records, start=1):
        if all(_is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = header_names(path, cells)
            continue
        for column in range(len(header), len(cells)):
            if not _is_blank(cells[column]):
                raise TransferError(
                    _("{name}: row {row} has a value in column {column}, which has no header.").format(
                        name=path.name, row=number, column=column + 1
                    )
                )
        values = {
            name: _blank_to_none(cells[index]) if index < len(cells) else None
            for index, name in enumerate(header)
        }
        rows.append(SourceRow(number=number, values=values))
    if header is None:
        raise TransferError(_("{name}: the file is empty (no header row).").format(name=path.name))
    return rows


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the header row into the most columns."""
    best, best_count = _DELIMITERS[0], 0
    for delimiter in _DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            first = next((row for row in reader if any(cell.strip() for cell in row)), [])
        except csv.Error:
            continue
        if len(first) > best_count:
            best, best_count = delimiter, len(first)
    return best


def _read_csv(path: Path) -> list[SourceRow]:
    text = _decode_text(path, _read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        # Cells our exports marked as text (see ``formulas``) come back as they were written.
        return table_rows(path, ([unmark(cell) for cell in cells] for cells in reader))
    except csv.Error as error:
        raise TransferError(
            _("{name}: not a readable CSV file near row {row} ({reason}).").format(
                name=path.name, row=reader.line_num, reason=error
            )
        ) from None


def _read_xlsx(path: Path) -> list[SourceRow]:
    # Imported lazily: opening a workbook is rare and openpyxl is slow to import.
    from openpyxl import load_workbook

    unreadable = _("{name}: not an Excel workbook (.xlsx), or it is damaged.").format(name=path.name)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        raise TransferError(
            _("{name}: cannot be read ({reason}).").format(name=path.name, reason=error.strerror or error)
        ) from None
    except Exception:  # openpyxl raises many types on junk; all mean the same to a person
        raise TransferError(unreadable) from None
    try:
        if not workbook.worksheets:
            raise TransferError(_("{name}: the workbook has no worksheet.").format(name=path.name))
        sheet = workbook.worksheets[0]
        # Some writers store wrong dimensions; without them every row is read as it comes.
        sheet.reset_dimensions()
        records = ([_cell_value(cell) for cell in row] for row in sheet.iter_rows())
        return table_rows(path, records)
    except TransferError:
        raise
    except Exception:
        raise TransferError(unreadable) from None
    finally:
        workbook.close()


def _cell_value(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, datetime) and not _shows_time(getattr(cell, "number_format", "")):
        return value.date()
    return value


def _shows_time(number_format: str | None) -> bool:
    cleaned = _FORMAT_NOISE.sub("", number_format or "").lower()
    return "h" in cleaned or "s" in cleaned


# --- JSON and GeoJSON -------------------------------------------------------------------


def _read_json(path: Path, fmt: FileFormat) -> list[SourceRow]:
    text = _decode_text(path, _read_bytes(path))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise TransferError(
            _("{name}: not valid JSON (line {line}, column {column}).").format(
                name=path.name, line=error.lineno, column=error.colno
            )
        ) from None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        return _feature_rows(path, document)
    if fmt is FileFormat.GEOJSON:
        raise TransferError(_("{name}: a GeoJSON file must hold a FeatureCollection.").format(name=path.name))
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        items = document["records"]
    elif isinstance(document, list):
        items = document
    else:
        raise TransferError(
            _("{name}: expected a JSON array of objects, or an object with a “records” array.").format(
                name=path.name
            )
        )
    rows: list[SourceRow] = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise TransferError(
                _("{name}: element {position} is not an object.").format(name=path.name, position=position)
            )
        values = _object_values(path, item, position)
        if values is not None:
            rows.append(SourceRow(number=position, values=values))
    return rows


def _object_values(path: Path, item: dict[str, Any], position: int) -> dict[str, Any] | None:
    """The object's values under stripped keys, or None when every value is empty."""
    values: dict[str, Any] = {}
    for key, value in item.items():
        name = key.strip()
        if not name:
            raise TransferError(
                _("{name}: element {position} has an empty key.").format(name=path.name, position=position)
            )
        if name in values:
            raise TransferError(
                _("{name}: element {position} has the key “{key}” twice.").format(
                    name=path.name, position=position, key=name
                )
            )
        values[name] = value
    if all(_is_blank(value) for value in values.values()):
        return None
    return values


def _feature_rows(path: Path, document: dict[str, Any]) -> list[SourceRow]:
    features = document.get("features")
    if not isinstance(features, list):
        raise TransferError(
            _("{name}: the FeatureCollection has no “features” array.").format(name=path.name)
        )
    rows: list[SourceRow] = []
    for position, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise TransferError(
                _("{name}: element {position} is not an object.").format(name=path.name, position=position)
            )
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise TransferError(
                _("{name}: feature {position} has properties that are not an object.").format(
                    name=path.name, position=position
                )
            )
        item = dict(properties)
        item.update(_point_values(path, feature.get("geometry"), position))
        values = _object_values(path, item, position)
        if values is not None:
            rows.append(SourceRow(number=position, values=values))
    return rows


def _point_values(path: Path, geometry: Any, position: int) -> dict[str, Any]:
    if geometry is None:
        return {}
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (
        not isinstance(geometry, dict)
        or geometry.get("type") != "Point"
        or not isinstance(coordinates, list)
        or len(coordinates) < 2
    ):
        raise TransferError(
            _("{name}: feature {position} is not a point; only points can be imported.").format(
                name=path.name, position=position
            )
        )
    return {"longitude": coordinates[0], "latitude": coordinates[1]}
