"""`relay-app desk duplicates|merge|badges|list` in-process, on a real data folder."""

from __future__ import annotations

import csv
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from relay_app.cli.desk_documents import LIST_FORMATS, LIST_KINDS
from relay_app.services.desk_lists import PERSONAL_EXPORTS_LOG, DeskList, ListFormat
from tests import factories
from tests.cli.conftest import Cli


def _forum_with_people(cli: Cli, json_file: Callable[[Any], str]) -> tuple[str, list[str]]:
    forum_id = cli("records", "add", "forums", "--json", json_file(factories.forum())).out.strip()
    people = [
        factories.registration(forum_id, first_name="Émile", last_name="Durand", email="e@example.org",
                               country="FR", role="researcher", travel_support=True),
        factories.registration(forum_id, first_name="emile", last_name="DURAND", email="E@example.org"),
        factories.registration(forum_id, first_name="Awa", last_name="Ndiaye", email="awa@example.org",
                               status="waitlisted"),
    ]
    ids = [cli("records", "add", "registrations", "--json", json_file(person)).out.strip()
           for person in people]
    return forum_id, ids


def test_list_choices_match_the_service() -> None:
    assert tuple(kind.value for kind in DeskList) == LIST_KINDS
    assert tuple(fmt.value for fmt in ListFormat) == LIST_FORMATS


def test_duplicates_then_merge(cli: Cli, json_file: Callable[[Any], str]) -> None:
    forum_id, (first, second, _awa) = _forum_with_people(cli, json_file)
    found = cli("desk", "duplicates", forum_id, "--json")
    assert found.code == 0
    assert found.json() == [{"ids": [first, second], "reason": "email"}]
    assert "same email" in cli("desk", "duplicates", forum_id).out
    merged = cli("desk", "merge", first, second)
    assert merged.code == 0, merged.err
    assert cli("desk", "duplicates", forum_id, "--json").json() == []
    shown = cli("records", "show", "registrations", second)
    assert shown.code == 1  # a tombstone now


def test_badges_warn_before_a_reprint(cli: Cli, json_file: Callable[[Any], str], tmp_path: Path,
                                      data_dir: Path) -> None:
    """Tried: printing a forum's badges twice. The second run stops and says why; --new-only has
    nothing left to print; --reprint prints again."""
    forum_id, _ids = _forum_with_people(cli, json_file)
    target = tmp_path / "badges.pdf"
    first = cli("desk", "badges", forum_id, "-o", str(target))
    assert first.code == 0, first.err
    assert "2 badges written" in first.out  # the waitlisted participant gets none
    assert target.read_bytes().startswith(b"%PDF")
    again = cli("desk", "badges", forum_id, "-o", str(target))
    assert again.code == 1 and "printed before" in again.err and "--reprint" in again.err
    assert "No badge to print" in cli("desk", "badges", forum_id, "-o", str(target), "--new-only").out
    assert cli("desk", "badges", forum_id, "-o", str(target), "--reprint", "--layout",
               "a4-2x4-99x68").code == 0


def test_lists_in_words_and_local_time_with_a_logged_personal_export(
    cli: Cli, json_file: Callable[[Any], str], tmp_path: Path, data_dir: Path
) -> None:
    """Tried: every list in every format. Cells hold labels ("France", "Researcher"), not codes;
    personal lists are refused without confirmation, and each one written is logged (0600)."""
    forum_id, _ids = _forum_with_people(cli, json_file)
    refused = cli("desk", "list", forum_id, "--format", "csv", "-o", str(tmp_path / "p.csv"))
    assert refused.code == 1 and not (tmp_path / "p.csv").exists()
    for kind in LIST_KINDS:
        for fmt in LIST_FORMATS:
            target = tmp_path / f"{kind}.{fmt}"
            done = cli("desk", "list", forum_id, "--kind", kind, "--format", fmt, "-o", str(target), "--yes")
            assert done.code == 0, done.err
            assert target.stat().st_size > 0
    with (tmp_path / "participants.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    emile = next(row for row in rows if row["First name"] == "Émile")
    assert emile["Country"] == "France" and emile["Role"] == "Researcher"
    assert emile["Needs travel support"] == "yes" and emile["Status"] == "Registered"
    travel = load_workbook(tmp_path / "travel-support.xlsx").active
    assert [cell.value for cell in travel[2]][:2] == ["Durand", "Émile"]
    assert travel.max_row == 2
    with (tmp_path / "counts.csv").open(encoding="utf-8-sig") as handle:
        counts = list(csv.reader(handle))
    assert ["Country", "France", "1", "0"] in counts
    assert (tmp_path / "attendance.pdf").read_bytes().startswith(b"%PDF")
    log = data_dir / PERSONAL_EXPORTS_LOG
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted({entry["list"] for entry in entries}) == ["attendance", "participants", "travel-support"]
    assert len(entries) == 9
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
