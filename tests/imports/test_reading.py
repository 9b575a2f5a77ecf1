"""Real files read as text: encodings detected, separators found, XLSX and ODS cells kept as typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from relay_app.imports.reading import detect_delimiter, read_sheet
from relay_app.transfer import TransferError
from tests.imports.files import write_csv, write_ods, write_xlsx

FRENCH = [
    ["Nom", "Pays", "Collège", "Téléphone"],
    ["Coopérative des éleveurs", "Sénégal", "Société civile et ONG", "0612345678"],
    ["Réseau Sahel", "Côte d'Ivoire", "Recherche et formation", "+225 07 08 09 10"],
]


def test_a_cp1252_semicolon_csv_is_detected_and_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "partenaires.csv", FRENCH, encoding="cp1252", delimiter=";")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # what used to refuse it
    sheet = read_sheet(path)
    assert (sheet.encoding, sheet.delimiter) == ("cp1252", ";")
    assert sheet.headers == ("Nom", "Pays", "Collège", "Téléphone")
    assert [row.values["Nom"] for row in sheet.rows] == ["Coopérative des éleveurs", "Réseau Sahel"]
    assert sheet.rows[0].values["Téléphone"] == "0612345678"
    assert [row.number for row in sheet.rows] == [2, 3]


def test_a_utf8_bom_does_not_stick_to_the_first_header(tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "bom.csv", FRENCH, encoding="utf-8-sig"))
    assert sheet.headers[0] == "Nom"
    assert (sheet.encoding, sheet.delimiter) == ("UTF-8 (BOM)", ",")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2,5;3\n", ";"),  # decimal commas inside ;-separated rows
        ("a\tb\n1;2\t3\n", "\t"),
        ('"x, y";b\n"1, 2";3\n', ";"),
    ],
)
def test_the_separator_is_the_one_that_splits_every_row_alike(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_an_xlsx_keeps_leading_zeros_and_reads_numbers_and_dates_as_text(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "partners.xlsx",
        [["Name", "Phone", "Latitude", "Start"], ["Sols", "0612345678", 14.5, date(2026, 5, 14)],
         ["Terre", 221771234567, 15, None]],
    )
    sheet = read_sheet(path)
    assert sheet.file_type == "xlsx"
    first, second = (row.values for row in sheet.rows)
    assert first == {"Name": "Sols", "Phone": "0612345678", "Latitude": "14.5", "Start": "2026-05-14"}
    assert second["Phone"] == "221771234567" and second["Latitude"] == "15" and second["Start"] is None


def test_an_ods_is_read_like_a_workbook(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "partners.ods", [["Nombre", "País"], ["Terra Andina", "Perú"], [None, None],
                                                 ["Suelos vivos", "Chile"]])
    sheet = read_sheet(path)
    assert sheet.file_type == "ods"
    assert sheet.headers == ("Nombre", "País")
    assert [(row.number, row.values["País"]) for row in sheet.rows] == [(2, "Perú"), (4, "Chile")]


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.ods", b"not a zip"), ("x.xlsx", b"PK\x03\x04 broken"), ("x.csv", b"\x00\x01\x02 binary"),
     ("x.doc", b"anything")],
)
def test_a_broken_or_unknown_file_is_one_clear_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TransferError) as raised:
        read_sheet(path)
    assert name in str(raised.value) and "\n" not in str(raised.value)
