"""`relay-app records import` with --mapping, --valid-only, --rejects, --duplicates; `imports list|undo`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relay_app.imports.reading import read_sheet
from tests.cli.conftest import Cli
from tests.imports.files import write_csv

HEADERS = ["Raison sociale", "Membre ou partenaire", "Collège", "Pays", "Courriel"]


def _file(tmp_path: Path, rows: list[list[str]], name: str = "partenaires.csv") -> Path:
    return write_csv(tmp_path / name, [HEADERS, *rows], encoding="cp1252", delimiter=";")


ROWS = [
    ["Coopérative des éleveurs", "Membre", "Société civile et ONG", "Sénégal", "coop@example.org"],
    ["Réseau Sahel", "Partenaire", "Recherche et formation", "Burkina Faso", "pas-un-courriel"],
    ["Terres du Mali", "Partenaire", "Recherche et formation", "Mali", ""],
]


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"Raison sociale": "name"}), encoding="utf-8")
    return path


def _count(cli: Cli) -> int:
    return cli("status", "--json").json()["counts"]["partners"]


def test_an_unknown_header_is_ignored_with_a_note_and_the_mapping_file_names_it(cli: Cli, tmp_path: Path):
    path = _file(tmp_path, ROWS[:1])
    outcome = cli("records", "import", "partners", str(path))
    assert outcome.code == 1  # the name is required and no column fills it
    assert "Column “Raison sociale” ignored" in outcome.err
    assert "Name is required" in outcome.err

    outcome = cli("records", "import", "partners", str(path), "--mapping", str(_mapping(tmp_path)))
    assert outcome.code == 0, outcome.err
    assert "1 created" in outcome.out and _count(cli) == 1
    [partner] = cli("records", "list", "partners", "--json").json()
    assert (partner["country"], partner["college"], partner["kind"]) == ("SN", "civil_society_ngos", "member")


def test_valid_only_imports_the_good_rows_and_saves_the_rejects(cli: Cli, tmp_path: Path):
    path, rejects = _file(tmp_path, ROWS), tmp_path / "rejets.xlsx"
    mapping = str(_mapping(tmp_path))
    refused = cli("records", "import", "partners", str(path), "--mapping", mapping, "--rejects", str(rejects))
    assert refused.code == 1 and "Nothing was imported: 1 row out of 3" in refused.err
    assert _count(cli) == 0 and rejects.exists()

    outcome = cli("records", "import", "partners", str(path), "--mapping", mapping, "--valid-only",
                  "--rejects", str(rejects), "--json")
    assert outcome.code == 0, outcome.err
    report = outcome.json()
    assert (report["created"], report["invalid"], report["file"]["encoding"]) == (2, 1, "cp1252")
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "email")]
    assert _count(cli) == 2
    sheet = read_sheet(rejects)
    assert [row.values["Raison sociale"] for row in sheet.rows] == ["Réseau Sahel"]
    assert "Courriel" in sheet.rows[0].values["Errors"]


def test_a_reimport_reports_duplicates_and_each_policy_decides(cli: Cli, tmp_path: Path):
    good = [row for row in ROWS if "@" in row[4] or not row[4]]
    path, mapping = _file(tmp_path, good), str(_mapping(tmp_path))
    assert cli("records", "import", "partners", str(path), "--mapping", mapping).code == 0
    assert _count(cli) == 2

    again = cli("records", "import", "partners", str(path))  # the mapping was remembered
    assert again.code == 0, again.err
    assert "2 possible duplicates not imported" in again.out
    assert "row 2: looks like “Coopérative des éleveurs” (same email)" in again.err
    assert _count(cli) == 2
    assert cli("records", "import", "partners", str(path), "--duplicates", "skip").code == 0
    assert _count(cli) == 2
    updated = cli("records", "import", "partners", str(path), "--duplicates", "update")
    assert "2 updated" in updated.out or "2 unchanged" in updated.out
    assert _count(cli) == 2
    assert cli("records", "import", "partners", str(path), "--duplicates", "create").code == 0
    assert _count(cli) == 4


def test_imports_are_listed_and_undone(cli: Cli, tmp_path: Path):
    path = _file(tmp_path, [ROWS[0], ROWS[2]])
    assert cli("records", "import", "partners", str(path), "--mapping", str(_mapping(tmp_path))).code == 0
    [batch] = cli("imports", "list", "--json").json()
    assert (batch["kind"], batch["file_name"], batch["created"], batch["undone_at"]) == (
        "partners", "partenaires.csv", 2, None
    )
    assert batch["id"] in cli("imports", "list").out

    undone = cli("imports", "undo", batch["id"])
    assert undone.code == 0, undone.err
    assert "2 records deleted" in undone.out
    assert _count(cli) == 0
    assert cli("status", "--json").json()["pending_changes"] == 2  # the deletes sync
    twice = cli("imports", "undo", batch["id"])
    assert twice.code == 1 and "already undone" in twice.err
    unknown = cli("imports", "undo", "nope")
    assert unknown.code == 1 and "No import" in unknown.err


def test_an_undo_after_an_edit_is_refused_naming_the_record(
    cli: Cli, tmp_path: Path, json_file: Callable[[Any], str]
) -> None:
    path = _file(tmp_path, [ROWS[0], ROWS[2]])
    assert cli("records", "import", "partners", str(path), "--mapping", str(_mapping(tmp_path))).code == 0
    [batch] = cli("imports", "list", "--json").json()
    listed = cli("records", "list", "partners", "--json").json()
    target = next(p for p in listed if p["name"] == "Terres du Mali")
    edit = json_file({"city": "Bamako"})
    assert cli("records", "update", "partners", target["id"], "--json", edit).code == 0
    refused = cli("imports", "undo", batch["id"])
    assert refused.code == 1 and "Terres du Mali" in refused.err
    assert _count(cli) == 2


def test_an_undo_after_duplicates_update_puts_the_old_values_back(cli: Cli, tmp_path: Path):
    mapping = str(_mapping(tmp_path))
    first = _file(tmp_path, [ROWS[0], ROWS[2]])
    assert cli("records", "import", "partners", str(first), "--mapping", mapping).code == 0
    before = sorted(cli("records", "list", "partners", "--json").json(), key=lambda p: p["name"])
    changed = [[*ROWS[0][:4], "contact@cooperative.example.org"], [*ROWS[2][:4], "terres@example.org"],
               ["Nouveau venu", "Partenaire", "Recherche et formation", "Niger", ""]]
    again = cli("records", "import", "partners", str(_file(tmp_path, changed, "encore.csv")),
                "--duplicates", "update", "--json")
    assert again.code == 0, again.err
    assert (again.json()["created"], again.json()["updated"]) == (1, 2)
    assert cli("imports", "list", "--json").json()[0]["values_kept"] is True
    pending = cli("status", "--json").json()["pending_changes"]

    undone = cli("imports", "undo", again.json()["batch_id"])

    assert undone.code == 0, undone.err
    assert undone.out.strip() == (
        "Import undone: 1 record deleted. 2 records it updated have their previous values again."
    )
    after = sorted(cli("records", "list", "partners", "--json").json(), key=lambda p: p["name"])
    assert [(p["name"], p["email"]) for p in after] == [(p["name"], p["email"]) for p in before]
    assert [p["updated_at"] for p in after] != [p["updated_at"] for p in before]  # edits that sync
    assert cli("status", "--json").json()["pending_changes"] == pending  # coalesced, still waiting


def test_rows_repeating_each_other_in_one_file_are_reported_and_decided(cli: Cli, tmp_path: Path):
    mapping = str(_mapping(tmp_path))
    rows = [ROWS[0], ROWS[2], ["Coopérative des éleveurs", "Membre", "Société civile et ONG", "Sénégal",
                               "COOP@example.org"]]
    path = _file(tmp_path, rows)

    held = cli("records", "import", "partners", str(path), "--mapping", mapping, "--json")
    assert held.code == 0, held.err
    assert "row 4: same as row 2 “Coopérative des éleveurs” (same email); not imported" in held.err
    report = held.json()
    assert [(d["row"], d["same_row"], d["record_id"]) for d in report["duplicates"]] == [(4, 2, None)]
    assert (report["created"], len(report["held_back"])) == (2, 1)
    assert cli("imports", "undo", report["batch_id"]).code == 0

    merged = cli("records", "import", "partners", str(path), "--duplicates", "update")
    assert merged.code == 0, merged.err
    assert merged.out.startswith("3 rows read: 2 created, 0 updated")
    assert "1 row repeating an earlier row of the file went onto its record" in merged.out
    [cooperative] = [p for p in cli("records", "list", "partners", "--json").json()
                     if p["name"] == "Coopérative des éleveurs"]
    assert cooperative["email"] == "COOP@example.org"  # the later row's value
    assert _count(cli) == 2
