"""`relay-app records add|list|show|update|delete` for every kind of record."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.cli.conftest import Cli

# One field per kind to change, and its new value.
CHANGES: dict[str, tuple[str, Any]] = {
    "partners": ("city", "Saint-Louis"),
    "practices": ("area_ha", 80.25),
    "forums": ("capacity", 220),
    "registrations": ("organisation", "Coopérative de Niakhar"),
}


def values_for(kind: str, cli: Cli, json_file: Callable[[Any], str]) -> dict[str, Any]:
    if kind != "registrations":
        return getattr(factories, kind.removesuffix("s"))()
    forum = cli("records", "add", "forums", "--json", json_file(factories.forum()))
    assert forum.code == 0, forum.err
    return factories.registration(forum.out.strip())


@pytest.mark.parametrize("kind", ["partners", "practices", "forums", "registrations"])
def test_add_list_show_update_delete(kind: str, cli: Cli, json_file: Callable[[Any], str]):
    values = values_for(kind, cli, json_file)

    added = cli("records", "add", kind, "--json", json_file(values))
    assert added.code == 0, added.err
    record_id = added.out.strip()
    assert len(record_id) == 36

    listed = cli("records", "list", kind, "--json")
    assert listed.code == 0
    assert [record["id"] for record in listed.json()] == [record_id]

    table = cli("records", "list", kind)
    assert record_id in table.out
    assert "1 record" in table.out

    shown = cli("records", "show", kind, record_id, "--json")
    assert shown.code == 0
    before = shown.json()
    assert before["id"] == record_id
    for name, value in values.items():
        assert before[name] == value, name

    field, new_value = CHANGES[kind]
    updated = cli("records", "update", kind, record_id, "--json", json_file({field: new_value}))
    assert updated.code == 0, updated.err
    after = cli("records", "show", kind, record_id, "--json").json()
    assert after[field] == new_value
    unchanged = {k: v for k, v in before.items() if k not in (field, "updated_at")}
    assert {k: after[k] for k in unchanged} == unchanged

    deleted = cli("records", "delete", kind, record_id)
    assert deleted.code == 0
    assert cli("records", "list", kind, "--json").json() == []
    gone = cli("records", "show", kind, record_id)
    assert gone.code == 1
    assert record_id in gone.err
    assert gone.err.count("\n") == 1


def test_show_as_text_has_labels_and_the_4_per_1000_result(cli: Cli, json_file: Callable[[Any], str]):
    record_id = cli("records", "add", "practices", "--json", json_file(factories.practice())).out
    shown = cli("records", "show", "practices", record_id.strip())
    assert shown.code == 0
    assert "Agroforesterie à base de Faidherbia albida" in shown.out
    assert "10 ‰ per year — 2.5 × the 4 ‰ target" in shown.out
    assert "Arenosols" in shown.out  # the soil group's label, not its code
    assert "120.5 ha" in shown.out


def test_list_search_finds_only_matching_records(cli: Cli, json_file: Callable[[Any], str]):
    for name in ("Terres vivantes", "Andean Soil Lab"):
        assert cli("records", "add", "partners", "--json", json_file(factories.partner(name=name))).code == 0
    found = cli("records", "list", "partners", "--search", "andean", "--json").json()
    assert [record["name"] for record in found] == ["Andean Soil Lab"]
    assert cli("records", "list", "partners", "--search", "nothing-like-this").out.strip() == ("No records.")


def test_add_from_standard_input(cli: Cli, json_file: Callable[[Any], str], monkeypatch: pytest.MonkeyPatch):
    import io
    import json

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(factories.forum())))
    added = cli("records", "add", "forums", "--json", "-")
    assert added.code == 0, added.err
    assert cli("records", "show", "forums", added.out.strip(), "--json").json()["capacity"] == 150


def test_invalid_record_is_one_line_and_writes_nothing(cli: Cli, json_file: Callable[[Any], str]):
    added = cli(
        "records",
        "add",
        "partners",
        "--json",
        json_file(factories.partner(email="not-an-email", country="XX")),
    )
    assert added.code == 1
    assert added.out == ""
    assert added.err.count("\n") == 1
    assert "email" in added.err
    assert cli("records", "list", "partners", "--json").json() == []


def test_update_of_a_missing_record_fails_with_one_line(cli: Cli, json_file: Callable[[Any], str]):
    missing = "00000000-0000-4000-8000-000000000000"
    outcome = cli("records", "update", "partners", missing, "--json", json_file({"city": "X"}))
    assert outcome.code == 1
    assert missing in outcome.err
    assert outcome.err.count("\n") == 1


def test_a_record_pasted_back_from_show_updates_cleanly(cli: Cli, json_file: Callable[[Any], str]):
    record_id = cli("records", "add", "partners", "--json", json_file(factories.partner())).out
    shown = cli("records", "show", "partners", record_id.strip(), "--json").json()
    shown["acronym"] = "ISC"
    outcome = cli("records", "update", "partners", record_id.strip(), "--json", json_file(shown))
    assert outcome.code == 0, outcome.err
    after = cli("records", "show", "partners", record_id.strip(), "--json").json()
    assert after["acronym"] == "ISC"


def test_text_that_cannot_be_saved_is_one_line_and_writes_nothing(tmp_path: Path):
    """Tried: `records add partners --json -` with a name holding a lone surrogate, as the raw JSON
    escape a script or a damaged copy and paste produces, and a field name holding one; also
    `records update`. Before the fix the store's insert failed with a traceback."""
    from tests.cli.test_cli_main import run_installed

    data = tmp_path / "data"
    record = json.dumps(factories.partner())
    damaged = record.replace('"name": "', '"name": "\\ud800', 1)
    odd_key = record[:-1] + ', "col\\udc00our\\u0007": "green"}'
    assert damaged != record

    outcomes = [
        run_installed("records", "add", "partners", "--json", "-", data_dir=data, stdin=text)
        for text in (damaged, odd_key)
    ]
    added = run_installed("records", "add", "partners", "--json", "-", data_dir=data, stdin=record)
    assert added.returncode == 0, added.stderr
    update = '{"city": "Dakar\\udfff"}'
    outcomes.append(run_installed("records", "update", "partners", added.stdout.strip(), "--json",
                                  "-", data_dir=data, stdin=update))

    for outcome in outcomes:
        assert outcome.returncode == 1, outcome.stderr
        assert outcome.stdout == ""
        assert outcome.stderr.count("\n") == 1, outcome.stderr
        assert "Traceback" not in outcome.stderr
    assert "Name contains a damaged character that cannot be saved" in outcomes[0].stderr
    assert "col\ufffdour\ufffd" in outcomes[1].stderr
    assert "cannot be saved" in outcomes[2].stderr
    listed = run_installed("records", "list", "partners", "--json", data_dir=data)
    assert [row["city"] for row in json.loads(listed.stdout)] == [factories.partner()["city"]]
