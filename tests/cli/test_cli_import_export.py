"""`relay-app records import|export`: all-or-nothing imports, exports that import again."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.cli.conftest import Cli

# Spreadsheet row -> (field, bad value). The header is row 1, so partner i sits on row i + 2.
BAD_ROWS: dict[int, tuple[str, str]] = {
    17: ("email", "nobody-at-example"),
    503: ("college", "astronauts"),
    998: ("name", ""),
}
CSV_FIELDS = [
    "name",
    "acronym",
    "kind",
    "college",
    "country",
    "city",
    "latitude",
    "longitude",
    "email",
    "languages",
]


def partners_csv(path: Path, bad_rows: dict[int, tuple[str, str]], count: int = 1000) -> Path:
    """A ;-separated UTF-8 file with a BOM, as French Excel saves it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(CSV_FIELDS)
        for index in range(count):
            values = factories.partner(
                name=f"Partenaire n° {index}", email=f"contact{index}@example.org",
                website=f"https://partenaire{index}.example.org",
            )
            values["languages"] = "; ".join(values["languages"])
            number = index + 2
            if number in bad_rows:
                field, bad = bad_rows[number]
                values[field] = bad
            writer.writerow([values.get(name, "") for name in CSV_FIELDS])
    return path


def count(cli: Cli, kind: str, data: Path | None = None) -> int:
    outcome = cli("status", "--json", data=data)
    assert outcome.code == 0, outcome.err
    return outcome.json()["counts"][kind]


def test_three_bad_rows_out_of_a_thousand_write_nothing_and_are_reported(cli: Cli, tmp_path: Path):
    path = partners_csv(tmp_path / "partners.csv", BAD_ROWS)

    outcome = cli("records", "import", "partners", str(path))

    assert outcome.code == 1
    assert outcome.out == ""
    lines = outcome.err.splitlines()
    reported = [line for line in lines if line.startswith("row ")]
    assert [line.split(":")[0] for line in reported] == [
        f"row {row}, field {field}" for row, (field, _bad) in sorted(BAD_ROWS.items())
    ]
    assert len(lines) == len(reported) + 1
    assert "3 rows out of 1000" in lines[-1]
    assert "Traceback" not in outcome.err
    assert count(cli, "partners") == 0
    assert cli("status", "--json").json()["pending_changes"] == 0


def test_dry_run_reports_the_same_errors_and_writes_nothing(cli: Cli, tmp_path: Path):
    bad = partners_csv(tmp_path / "bad.csv", BAD_ROWS, count=600)
    checked = cli("records", "import", "partners", str(bad), "--dry-run")
    assert checked.code == 1
    assert [line.split(",")[0] for line in checked.err.splitlines()[:-1]] == ["row 17", "row 503"]

    clean = partners_csv(tmp_path / "clean.csv", {}, count=600)
    checked = cli("records", "import", "partners", str(clean), "--dry-run")
    assert checked.code == 0, checked.err
    assert "600" in checked.out
    assert count(cli, "partners") == 0


def test_a_clean_import_writes_every_row(cli: Cli, tmp_path: Path):
    path = partners_csv(tmp_path / "partners.csv", {}, count=250)
    outcome = cli("records", "import", "partners", str(path))
    assert outcome.code == 0, outcome.err
    assert "250 created" in outcome.out
    assert count(cli, "partners") == 250
    names = {record["name"] for record in cli("records", "list", "partners", "--json").json()}
    assert "Partenaire n° 249" in names


def test_import_report_as_json(cli: Cli, tmp_path: Path):
    path = partners_csv(tmp_path / "partners.csv", {4: ("country", "XX")}, count=5)
    outcome = cli("records", "import", "partners", str(path), "--json")
    assert outcome.code == 1
    report = json.loads(outcome.out)
    assert [(error["row"], error["field"]) for error in report["errors"]] == [(4, "country")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("partners.json", b'[{"name": "A"},'),
        ("partners.xlsx", b"this is not a workbook"),
        ("partners.csv", b"\x00\x01\x02\xff\xfe binary"),
        ("partners.txt", b"name\nA\n"),
        ("partners.json", b'[{"name": "A"}, 42]'),
    ],
)
def test_a_broken_file_is_one_line_and_exit_1(cli: Cli, tmp_path: Path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    outcome = cli("records", "import", "partners", str(path))
    assert outcome.code == 1
    assert outcome.err.count("\n") == 1
    assert name in outcome.err
    assert "Traceback" not in outcome.err


def add_partners(cli: Cli, json_file: Callable[[Any], str]) -> list[str]:
    records = [
        factories.partner(name="Réseau Sahel", languages=["fr", "en"]),
        factories.partner(
            name="Terra Andina",
            country="PE",
            city="Cusco",
            latitude=-13.53,
            longitude=-71.97,
            languages=["es"],
        ),
        factories.partner(name="Sans position", latitude=None, longitude=None),
    ]
    ids = []
    for values in records:
        outcome = cli("records", "add", "partners", "--json", json_file(values))
        assert outcome.code == 0, outcome.err
        ids.append(outcome.out.strip())
    return ids


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "geojson"])
def test_export_then_import_into_a_fresh_folder(
    cli: Cli, json_file: Callable[[Any], str], tmp_path: Path, fmt: str
):
    ids = add_partners(cli, json_file)
    original = {record["id"]: record for record in cli("records", "list", "partners", "--json").json()}
    target = tmp_path / f"export.{fmt}"

    exported = cli("records", "export", "partners", "--format", fmt, "-o", str(target))
    assert exported.code == 0, exported.err
    assert target.name in exported.out

    fresh = tmp_path / "fresh"
    imported = cli("records", "import", "partners", str(target), data=fresh)
    assert imported.code == 0, imported.err
    expected_ids = set(ids[:2]) if fmt == "geojson" else set(ids)
    copies = cli("records", "list", "partners", "--json", data=fresh).json()
    assert {record["id"] for record in copies} == expected_ids
    for copy in copies:
        source = original[copy["id"]]
        for field in ("name", "country", "city", "languages", "latitude", "longitude"):
            assert copy[field] == source[field], (fmt, field)

    again = cli("records", "import", "partners", str(target))
    assert again.code == 0, again.err
    assert count(cli, "partners") == 3  # the same ids update, never duplicate


def test_export_format_comes_from_the_extension(cli: Cli, json_file: Callable[[Any], str], tmp_path: Path):
    add_partners(cli, json_file)
    target = tmp_path / "partners.XLSX"
    assert cli("records", "export", "partners", "-o", str(target)).code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_geojson_export_counts_records_without_a_position(
    cli: Cli, json_file: Callable[[Any], str], tmp_path: Path
):
    add_partners(cli, json_file)
    target = tmp_path / "map.geojson"
    outcome = cli("records", "export", "partners", "--format", "geojson", "-o", str(target))
    assert outcome.code == 0
    assert "2 of 3" in outcome.out
    assert len(json.loads(target.read_text(encoding="utf-8"))["features"]) == 2


def test_geojson_export_of_forums_is_refused(cli: Cli, tmp_path: Path):
    target = tmp_path / "forums.geojson"
    outcome = cli("records", "export", "forums", "--format", "geojson", "-o", str(target))
    assert outcome.code == 1
    assert outcome.err.count("\n") == 1
    assert not target.exists()


def test_export_to_an_unknown_extension_is_refused(cli: Cli, tmp_path: Path):
    outcome = cli("records", "export", "partners", "-o", str(tmp_path / "partners.txt"))
    assert outcome.code == 1
    assert "partners.txt" in outcome.err
