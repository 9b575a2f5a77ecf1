"""Write records to CSV, XLSX, JSON or GeoJSON files, atomically.

Rows arrive JSON-ready (ISO date strings, floats, lists). Each file is written to a temporary
file in the target folder and moved into place, so a crash or a full disk never leaves half
an export where the previous file was.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any

from relay_app.i18n import _
from relay_app.transfer.formats import FileFormat, TransferError
from relay_app.transfer.formulas import mark_as_text

LIST_SEPARATOR = "; "
_LOOKS_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}", re.ASCII)
COORDINATE_FIELDS = ("longitude", "latitude")


def write_table(
    path: str | os.PathLike[str],
    fmt: FileFormat,
    fields: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    delimiter: str = ",",
) -> int:
    """Write ``rows`` under a header of ``fields`` (``id`` first); returns how many were written.

    GeoJSON is accepted too and goes through ``write_geojson``.
    """
    target = Path(path)
    columns = _ordered_fields(fields)
    if fmt is FileFormat.CSV:
        return _atomic_text(target, lambda handle: _write_csv(handle, columns, rows, delimiter))
    if fmt is FileFormat.XLSX:
        return _atomic_file(target, lambda temp: _write_xlsx(temp, columns, rows))
    if fmt is FileFormat.JSON:
        return _atomic_text(target, lambda handle: _write_json(handle, columns, rows))
    return write_geojson(target, fields, rows)


def write_geojson(
    path: str | os.PathLike[str], fields: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> int:
    """Write a FeatureCollection of points; rows without both coordinates are left out.

    Returns how many features were written.
    """
    columns = [name for name in _ordered_fields(fields) if name not in COORDINATE_FIELDS]

    def write(handle: IO[str]) -> int:
        features = [_feature(row, point, columns) for row in rows if (point := _point(row)) is not None]
        collection = {"type": "FeatureCollection", "features": features}
        json.dump(collection, handle, ensure_ascii=False, indent=2, default=_json_default)
        handle.write("\n")
        return len(features)

    return _atomic_text(Path(path), write)


def _ordered_fields(fields: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(fields))
    if "id" in names:
        names.remove("id")
        names.insert(0, "id")
    return names


# --- atomic replacement -----------------------------------------------------------------


def _atomic_file(target: Path, write: Callable[[Path], int]) -> int:
    """Run ``write`` on a temporary path beside ``target``, then move it into place."""
    try:
        descriptor, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise _write_error(target, error) from None
    os.close(descriptor)
    temp = Path(temp_name)
    try:
        count = write(temp)
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        # An export holds personal data: a new one is private (0600, whatever the umask), and a
        # replaced one keeps the mode its owner gave it.
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o600)
        os.replace(temp, target)
    except OSError as error:
        raise _write_error(target, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return count


def _atomic_text(target: Path, write: Callable[[IO[str]], int]) -> int:
    def write_text(temp: Path) -> int:
        # Plain UTF-8: some JSON readers reject a byte order mark, so only CSV writes one.
        with temp.open("w", encoding="utf-8", newline="") as handle:
            return write(handle)

    return _atomic_file(target, write_text)


def _write_error(target: Path, error: OSError) -> TransferError:
    return TransferError(
        _("{name}: cannot be written ({reason}).").format(name=target.name, reason=error.strerror or error)
    )


# --- formats ----------------------------------------------------------------------------


def _write_csv(
    handle: IO[str], columns: Sequence[str], rows: Iterable[Mapping[str, Any]], delimiter: str
) -> int:
    handle.write("\ufeff")  # the byte order mark is how Excel knows the file is UTF-8
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(row.get(name)) for name in columns])
        count += 1
    return count


def _csv_cell(value: Any) -> str:
    """Numbers as they are; any text a spreadsheet would run as a formula marked as text."""
    if isinstance(value, float):
        return _unambiguous_float(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _text_cell(value)
    return mark_as_text(_text_cell(value))


def _unambiguous_float(value: float) -> str:
    """12.345 is written "12.3450": read back in Spanish, "12.345" would be refused as
    ambiguous (the point also groups thousands there), see ``formatting.read_number``."""
    text = str(value)
    return text + "0" if _LOOKS_GROUPED.fullmatch(text) else text


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text_cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _write_json(handle: IO[str], columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    records = [{name: row.get(name) for name in columns} for row in rows]
    json.dump(records, handle, ensure_ascii=False, indent=2, default=_json_default)
    handle.write("\n")
    return len(records)


def _json_default(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _write_xlsx(temp: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(list(_xlsx_cells(sheet, columns, row)))
        count += 1
    workbook.save(temp)
    return count


def _xlsx_cells(sheet: Any, columns: Sequence[str], row: Mapping[str, Any]) -> Iterator[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for name in columns:
        value = row.get(name)
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no zones
        elif not isinstance(value, bool | int | float | date | time) and value is not None:
            value = ILLEGAL_CHARACTERS_RE.sub("", _text_cell(value))
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text that starts with "=" stays text, never a formula
        yield cell


# --- GeoJSON ----------------------------------------------------------------------------


def _point(row: Mapping[str, Any]) -> tuple[float, float] | None:
    try:
        longitude = float(row.get("longitude"))  # type: ignore[arg-type]
        latitude = float(row.get("latitude"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        return None
    return longitude, latitude


def _feature(row: Mapping[str, Any], point: tuple[float, float], columns: Sequence[str]) -> dict[str, Any]:
    feature: dict[str, Any] = {"type": "Feature"}
    if row.get("id") is not None:
        feature["id"] = row["id"]
    feature["geometry"] = {"type": "Point", "coordinates": [point[0], point[1]]}
    feature["properties"] = {name: row.get(name) for name in columns}
    return feature
