"""Reading CSV, XLSX and JSON files as a person would hand them to Relay."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from relay_app.transfer import FileFormat, SourceRow, TransferError, read_rows


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", FileFormat.CSV),
        ("A.CSV", FileFormat.CSV),
        ("list.Xlsx", FileFormat.XLSX),
        ("dump.json", FileFormat.JSON),
        ("map.GeoJSON", FileFormat.GEOJSON),
    ],
)
def test_format_comes_from_the_extension_whatever_its_case(name: str, expected: FileFormat):
    assert FileFormat.from_path(name) is expected


@pytest.mark.parametrize("name", ["notes.txt", "old.xls", "no_extension"])
def test_unknown_extension_is_a_transfer_error_naming_the_file(name: str):
    with pytest.raises(TransferError) as caught:
        FileFormat.from_path(name)
    assert name in caught.value.message
    assert "\n" not in caught.value.message


# --- CSV --------------------------------------------------------------------------------


def test_csv_with_commas(tmp_path: Path):
    path = write_bytes(tmp_path / "p.csv", b"name,country\nSoil Lab,FR\nTerra,SN\n")
    assert read_rows(path) == [
        SourceRow(2, {"name": "Soil Lab", "country": "FR"}),
        SourceRow(3, {"name": "Terra", "country": "SN"}),
    ]


def test_csv_with_semicolons_and_bom_as_french_excel_writes_it(tmp_path: Path):
    text = "nom;pays;surface\nCoopérative de l'Été;FR;12,5\n"
    path = write_bytes(tmp_path / "p.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    rows = read_rows(path)
    assert rows == [SourceRow(2, {"nom": "Coopérative de l'Été", "pays": "FR", "surface": "12,5"})]


def test_csv_quoted_delimiters_do_not_fool_the_sniffer(tmp_path: Path):
    text = 'name;languages\n"Smith, Jones and Co";fr, en\n'
    path = write_bytes(tmp_path / "p.csv", text.encode())
    assert read_rows(path)[0].values == {"name": "Smith, Jones and Co", "languages": "fr, en"}


def test_csv_headers_are_stripped_and_empty_cells_are_none(tmp_path: Path):
    path = write_bytes(tmp_path / "p.csv", b" name , city \nTerra,  \n")
    assert read_rows(path) == [SourceRow(2, {"name": "Terra", "city": None})]


def test_csv_row_numbers_are_spreadsheet_rows_and_empty_rows_are_skipped(tmp_path: Path):
    text = 'name,description\nA,x\n,\n\nB,"two\nlines"\nC,y\n'
    rows = read_rows(write_bytes(tmp_path / "p.csv", text.encode()))
    assert [(row.number, row.values["name"]) for row in rows] == [(2, "A"), (5, "B"), (6, "C")]
    assert rows[1].values["description"] == "two\nlines"


def test_csv_short_rows_are_padded_and_trailing_empty_columns_ignored(tmp_path: Path):
    path = write_bytes(tmp_path / "p.csv", b"name;city;;\nTerra\nSoil;Dakar;;\n")
    assert [row.values for row in read_rows(path)] == [
        {"name": "Terra", "city": None},
        {"name": "Soil", "city": "Dakar"},
    ]


def test_csv_with_only_a_header_has_no_rows(tmp_path: Path):
    assert read_rows(write_bytes(tmp_path / "p.csv", b"name,city\n")) == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"name,,city\nA,B,C\n", "column 2"),
        (b"name,city,Name\nA,B,C\n", "appears twice"),
        (b"name\nA,extra\n", "row 2"),
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe", "UTF-8"),
        ("name\nÉté\n".encode("latin-1"), "UTF-8"),
        ("name\nA\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_malformed_csv_is_a_transfer_error_with_a_message(tmp_path: Path, content: bytes, fragment: str):
    with pytest.raises(TransferError) as caught:
        read_rows(write_bytes(tmp_path / "bad.csv", content))
    assert fragment in caught.value.message
    assert "bad.csv" in caught.value.message
    assert "\n" not in caught.value.message


def test_missing_file_and_folder_are_transfer_errors(tmp_path: Path):
    with pytest.raises(TransferError, match="not found"):
        read_rows(tmp_path / "absent.csv")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(TransferError, match="folder"):
        read_rows(tmp_path / "folder.json")


# --- XLSX -------------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title ", "area_ha", "start_year", "start_date", "checked_in_at", "note"])
    sheet.append(["Agroforestry", 12.5, 2015, date(2020, 3, 1), datetime(2024, 5, 6, 14, 30), ""])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Cover crops", 3, None, None, None, "  "])
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["E2"].number_format = "yyyy-mm-dd hh:mm"
    path = tmp_path / "practices.xlsx"
    workbook.save(path)

    rows = read_rows(path)

    assert [row.number for row in rows] == [2, 4]
    first = rows[0].values
    assert first == {
        "title": "Agroforestry",
        "area_ha": 12.5,
        "start_year": 2015,
        "start_date": date(2020, 3, 1),
        "checked_in_at": datetime(2024, 5, 6, 14, 30),
        "note": None,
    }
    assert type(first["start_date"]) is date
    assert isinstance(first["start_year"], int)
    assert rows[1].values["area_ha"] == 3
    assert rows[1].values["note"] is None


def test_xlsx_reads_only_the_first_sheet_and_skips_blank_rows_above_the_header(tmp_path: Path):
    workbook = Workbook()
    first = workbook.active
    first["A3"] = "name"
    first["A4"] = "Terra"
    other = workbook.create_sheet("Other")
    other.append(["ignored"])
    path = tmp_path / "p.xlsx"
    workbook.save(path)
    assert read_rows(path) == [SourceRow(4, {"name": "Terra"})]


def test_xlsx_duplicate_header_is_a_transfer_error(tmp_path: Path):
    workbook = Workbook()
    workbook.active.append(["name", "name"])
    path = tmp_path / "p.xlsx"
    workbook.save(path)
    with pytest.raises(TransferError, match="twice"):
        read_rows(path)


@pytest.mark.parametrize(
    "content", [b"name,city\nA,B\n", b"PK\x03\x04 not really a zip", b"", bytes(range(256))]
)
def test_a_file_that_is_not_a_workbook_is_a_transfer_error(tmp_path: Path, content: bytes):
    with pytest.raises(TransferError) as caught:
        read_rows(write_bytes(tmp_path / "fake.xlsx", content))
    assert "fake.xlsx" in caught.value.message
    assert "Excel" in caught.value.message


# --- JSON -------------------------------------------------------------------------------


def test_json_array_positions_are_row_numbers(tmp_path: Path):
    data = [{"name": "A"}, {}, {"name": None, "city": ""}, {" name ": "B", "languages": ["fr"]}]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_rows(path) == [
        SourceRow(1, {"name": "A"}),
        SourceRow(4, {"name": "B", "languages": ["fr"]}),
    ]


def test_json_records_object_is_accepted(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"kind": "forums", "records": [{"capacity": 40}]}), "utf-8")
    assert read_rows(path) == [SourceRow(1, {"capacity": 40})]


def test_geojson_points_become_coordinates(tmp_path: Path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-17.4, 14.7]},
                "properties": {"name": "Dakar relay"},
            }
        ],
    }
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(collection), "utf-8")
    assert read_rows(path) == [SourceRow(1, {"name": "Dakar relay", "longitude": -17.4, "latitude": 14.7})]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[{"name": "A"},', "not valid JSON (line 1"),
        ('{"name": "A"}', "array"),
        ('"just text"', "array"),
        ('[{"name": "A"}, 3]', "element 2"),
        ('[{"name": "A"}, {"name": "B"}, ["x"]]', "element 3"),
        ('[{"name": "A", " name": "B"}]', "twice"),
        (
            '{"type": "FeatureCollection", "features": [{"geometry": '
            '{"type": "Polygon", "coordinates": []}}]}',
            "feature 1",
        ),
    ],
)
def test_malformed_json_is_a_transfer_error_with_a_message(tmp_path: Path, content: str, fragment: str):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TransferError) as caught:
        read_rows(path)
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


def test_binary_junk_in_a_json_file_is_a_transfer_error(tmp_path: Path):
    with pytest.raises(TransferError, match="UTF-8"):
        read_rows(write_bytes(tmp_path / "bad.json", b"\xff\xd8\xff\xe0\x00\x10JFIF"))
