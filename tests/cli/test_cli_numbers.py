"""Decimal commas through the import engine and the command line, in English, French and Spanish.

Tried: `relay-app --lang xx records import practices file.csv` on a ;-separated file as French
Excel saves it, with "14,15" and "1 234,5"; `records add` with "14,15" as JSON text; an
ambiguous "1,234" refused in English with a message that says why; and Relay's own CSV export
of numbers that look grouped (12.345) imported again in every language.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.cli.conftest import Cli

LANGUAGES = ("en", "fr", "es")


def practices_csv(path: Path, **cells: str) -> Path:
    values = factories.practice()
    values["tutorial_steps"] = "; ".join(values["tutorial_steps"])
    values.update(cells)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(list(values))
        writer.writerow(list(values.values()))
    return path


def only_practice(cli: Cli, language: str) -> dict[str, Any]:
    [record] = cli("--lang", language, "records", "list", "practices", "--json").json()
    return record


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_csv_with_decimal_commas_is_imported(cli: Cli, tmp_path: Path, language: str):
    path = practices_csv(tmp_path / "practices.csv", soc_before_t_ha="14,15", area_ha="1 234,5",
                         latitude="12,37", longitude="-1,52")

    outcome = cli("--lang", language, "records", "import", "practices", str(path))

    assert outcome.code == 0, outcome.err
    record = only_practice(cli, language)
    assert record["soc_before_t_ha"] == 14.15 and record["area_ha"] == 1234.5
    assert (record["latitude"], record["longitude"]) == (12.37, -1.52)


@pytest.mark.parametrize("language", LANGUAGES)
def test_records_add_reads_a_decimal_comma(cli: Cli, json_file: Callable[[Any], str], language: str):
    values = factories.practice(soc_before_t_ha="14,15", soc_years="2,5")

    outcome = cli("--lang", language, "records", "add", "practices", "--json", json_file(values))

    assert outcome.code == 0, outcome.err
    record = only_practice(cli, language)
    assert (record["soc_before_t_ha"], record["soc_years"]) == (14.15, 2.5)


def test_an_ambiguous_number_is_refused_with_the_reason(cli: Cli, tmp_path: Path):
    path = practices_csv(tmp_path / "practices.csv", area_ha="1,234")

    outcome = cli("--lang", "en", "records", "import", "practices", str(path))

    assert outcome.code == 1
    [reported] = [line for line in outcome.err.splitlines() if line.startswith("row 2, field area_ha")]
    assert "“1,234” could be a whole number or a decimal" in reported
    assert "write 1234 for the whole number or 1.234 for the decimal" in reported
    assert cli("status", "--json").json()["counts"]["practices"] == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_relays_own_csv_export_imports_again_in_every_language(
    cli: Cli, json_file: Callable[[Any], str], tmp_path: Path, language: str
):
    values = factories.practice(latitude=12.345, longitude=-1.52, area_ha=123.456, soc_before_t_ha=1.5)
    assert cli("records", "add", "practices", "--json", json_file(values)).code == 0
    target = tmp_path / "practices.csv"
    assert cli("--lang", language, "records", "export", "practices", "-o", str(target)).code == 0

    fresh = tmp_path / "fresh"
    imported = cli("--lang", language, "records", "import", "practices", str(target), data=fresh)

    assert imported.code == 0, imported.err
    [copy] = cli("records", "list", "practices", "--json", data=fresh).json()
    assert (copy["latitude"], copy["longitude"], copy["area_ha"]) == (12.345, -1.52, 123.456)
