"""`relay-app partners nearest`, `map export` and `practices by-area`, run as a person runs them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from relay_app.geo.nearest import great_circle_km
from tests import factories
from tests.cli.conftest import Cli

DAKAR = (14.6928, -17.4467)
THIES = (14.7910, -16.9359)
PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)


def add(cli: Cli, json_file: Callable[[Any], str], kind: str, values: dict[str, Any]) -> str:
    outcome = cli("records", "add", kind, "--json", json_file(values))
    assert outcome.code == 0, outcome.err
    return outcome.out.strip()


def partner(cli: Cli, json_file: Callable[[Any], str], name: str, place: tuple[float, float] | None,
            **values: Any) -> str:
    latitude, longitude = place if place is not None else (None, None)
    return add(cli, json_file, "partners", factories.partner(
        name=name, acronym=None, latitude=latitude, longitude=longitude, **values))


def test_nearest_partners_nearest_first_with_contacts(cli: Cli, json_file: Callable[[Any], str]) -> None:
    dakar = partner(cli, json_file, "Dakar soil lab", DAKAR)
    thies = partner(cli, json_file, "Thiès farmers", THIES, city="Thiès", phone="+221 33 951 00 00")
    paris = partner(cli, json_file, "Paris network", PARIS, country="FR", city="Paris")
    london = partner(cli, json_file, "London trust", LONDON, country="GB", city="London")
    partner(cli, json_file, "Lost cooperative", None)
    outcome = cli("partners", "nearest", dakar, "--json")
    assert outcome.code == 0, outcome.err
    found = outcome.json()
    assert [row["id"] for row in found] == [thies, paris, london]
    assert found[0] == {
        "id": thies, "name": "Thiès farmers", "distance_km": pytest.approx(56.004, abs=0.001),
        "city": "Thiès", "country": "SN", "email": "contact@example.org", "phone": "+221 33 951 00 00",
        "website": "https://example.org",
    }
    assert found[1]["distance_km"] == pytest.approx(great_circle_km(*DAKAR, *PARIS), abs=0.001)
    assert found[2]["distance_km"] == pytest.approx(great_circle_km(*DAKAR, *LONDON), abs=0.001)
    # From Paris, London is next door (343.6 km) and Dakar far.
    from_paris = cli("partners", "nearest", paris, "--limit", "1", "--json").json()
    assert [(row["name"], round(row["distance_km"], 1)) for row in from_paris] == [("London trust", 343.6)]
    text = cli("partners", "nearest", dakar, "--limit", "2")
    assert text.code == 0
    lines = text.out.splitlines()
    assert "Thiès farmers" in lines[2] and "56 km" in lines[2] and "Paris network" in lines[3]


def test_nearest_refuses_clearly(cli: Cli, json_file: Callable[[Any], str]) -> None:
    lost = partner(cli, json_file, "Lost cooperative", None)
    outcome = cli("partners", "nearest", lost)
    assert outcome.code == 1
    assert "Lost cooperative has no position" in outcome.err
    assert cli("partners", "nearest", "no-such-id").code == 1
    assert cli("partners", "nearest", lost, "--limit", "0").code == 1
    alone = partner(cli, json_file, "Dakar soil lab", DAKAR)
    assert cli("partners", "nearest", alone, "--json").json() == []


def test_nearest_to_a_place(cli: Cli, json_file: Callable[[Any], str]) -> None:
    """--at takes a place instead of a partner: every partner counts, none is left out as "itself"."""
    dakar = partner(cli, json_file, "Dakar soil lab", DAKAR)
    thies = partner(cli, json_file, "Thiès farmers", THIES, city="Thiès")
    paris = partner(cli, json_file, "Paris network", PARIS, country="FR", city="Paris")
    partner(cli, json_file, "London trust", LONDON, country="GB", city="London")
    partner(cli, json_file, "Lost cooperative", None)
    rufisque = (14.7167, -17.2667)  # between Dakar and Thiès, a little nearer Dakar
    outcome = cli("partners", "nearest", "--at", "14.7167,-17.2667", "--limit", "3", "--json")
    assert outcome.code == 0, outcome.err
    found = outcome.json()
    assert [row["id"] for row in found] == [dakar, thies, paris]
    assert found[0]["distance_km"] == pytest.approx(great_circle_km(*rufisque, *DAKAR), abs=0.001)
    assert found[1]["distance_km"] == pytest.approx(great_circle_km(*rufisque, *THIES), abs=0.001)
    assert set(found[0]) == {"id", "name", "distance_km", "city", "country", "email", "phone", "website"}
    # A partner's own position finds that partner first, at no distance.
    on_paris = cli("partners", "nearest", f"--at={PARIS[0]},{PARIS[1]}", "--limit", "1", "--json").json()
    assert [(row["id"], row["distance_km"]) for row in on_paris] == [(paris, 0.0)]
    # A southern latitude: "--at=-…" or a space after the comma, both as a shell passes them.
    for argv in (["--at=-33.92,18.42"], ["--at", "-33.92, 18.42"]):
        cape_town = cli("partners", "nearest", *argv, "--limit", "1", "--json")
        assert cape_town.code == 0, cape_town.err
        assert [row["id"] for row in cape_town.json()] == [thies]  # Thiès lies east of Dakar
    text = cli("partners", "nearest", "--at", "48.85,2.35", "--limit", "2")
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert "Paris network" in lines[2] and "0.8 km" in lines[2]
    assert "London trust" in lines[3] and "344.1 km" in lines[3]


def test_nearest_to_a_place_on_an_empty_map(cli: Cli, json_file: Callable[[Any], str]) -> None:
    assert cli("partners", "nearest", "--at", "0,0", "--json").json() == []
    partner(cli, json_file, "Lost cooperative", None)
    outcome = cli("partners", "nearest", "--at", "0,0")
    assert (outcome.code, outcome.out.strip()) == (0, "No partner has a position.")


@pytest.mark.parametrize(("typed", "says"), [
    ("14.69", "“14.69” is not a place"),
    ("14.69;-17.44", "“14.69;-17.44” is not a place"),
    ("14,69,-17,44", "is not a place"),
    ("Dakar", "“Dakar” is not a place"),
    ("nan,0", "is not a place"),
    ("inf,0", "is not a place"),
    ("1_0,0", "is not a place"),
    (",", "is not a place"),
    ("91,0", "Latitude 91 is off the globe"),
    ("-90.0001,0", "Latitude -90.0001 is off the globe"),
    ("14.69,180.5", "Longitude 180.5 is off the globe"),
    ("14.69,-200", "Longitude -200 is off the globe"),
])
def test_nearest_refuses_a_place_it_cannot_read(cli: Cli, json_file: Callable[[Any], str],
                                                typed: str, says: str) -> None:
    partner(cli, json_file, "Dakar soil lab", DAKAR)
    outcome = cli("partners", "nearest", f"--at={typed}", "--json")
    assert outcome.code == 1
    assert outcome.out == ""
    assert says in outcome.err and len(outcome.err.strip().splitlines()) == 1


def test_nearest_wants_a_partner_or_a_place_not_both(cli: Cli, json_file: Callable[[Any], str]) -> None:
    dakar = partner(cli, json_file, "Dakar soil lab", DAKAR)
    both = cli("partners", "nearest", dakar, "--at", "14.69,-17.44")
    assert both.code == 2 and "not allowed with" in both.err
    neither = cli("partners", "nearest", "--limit", "3")
    assert neither.code == 2 and "one of the arguments" in neither.err
    assert cli("partners", "nearest", "--at").code == 2  # no place after it
    assert cli("partners", "nearest", "--at", "14.69,-17.44", "--limit", "0").code == 1


def test_practices_by_area(cli: Cli, json_file: Callable[[Any], str]) -> None:
    add(cli, json_file, "practices", factories.practice())  # (55 - 50) / 50 / 10 y = 10 ‰/yr
    add(cli, json_file, "practices", factories.practice(soc_before_t_ha=80, soc_after_t_ha=81.6,
                                                        soc_years=5))  # 1.6 / 80 / 5 = 4 ‰/yr
    add(cli, json_file, "practices", factories.practice(climate_zone=None, soil_group=None))  # 10 ‰/yr
    add(cli, json_file, "practices", factories.practice(soc_before_t_ha=None, soc_after_t_ha=None,
                                                        soc_years=None, soc_depth_cm=None))
    outcome = cli("practices", "by-area", "--json")
    assert outcome.code == 0, outcome.err
    assert outcome.json() == [
        {"climate_zone": "tropical_dry", "soil_group": "AR", "land_use": "cropland", "practices": 3,
         "with_soc": 2, "mean_annual_change_per_mille": pytest.approx(7.0)},
        {"climate_zone": None, "soil_group": None, "land_use": "cropland", "practices": 1,
         "with_soc": 1, "mean_annual_change_per_mille": pytest.approx(10.0)},
    ]
    text = cli("practices", "by-area").out
    assert "Tropical dry" in text and "Arenosols" in text and "(not stated)" in text
    assert "2 areas" in text


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_map_export(cli: Cli, json_file: Callable[[Any], str], tmp_path: Path, suffix: str,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):  # no network: nothing may need one
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    partner(cli, json_file, "Dakar soil lab", DAKAR)
    partner(cli, json_file, "Lost cooperative", None)
    add(cli, json_file, "practices", factories.practice(latitude=14.0, longitude=-16.0))
    target = tmp_path / f"partners.{suffix}"
    outcome = cli("map", "export", "-o", str(target), "--width", "800")
    assert outcome.code == 0, outcome.err
    assert "800 × 389 pixels" in outcome.out and "1 partner has no position" in outcome.out
    if suffix == "png":
        image = QImage(str(target))
        assert (image.width(), image.height()) == (800, 389)
    else:
        svg = target.read_text(encoding="utf-8")
        assert 'viewBox="0 0 800 389"' in svg
        assert "Partners by college" in svg and "Research and education" in svg
        assert ">Brazil<" in svg  # the countries are named, in the interface language
        french = tmp_path / "fr.svg"
        assert cli("--lang", "fr", "map", "export", "-o", str(french)).code == 0
        assert ">Brésil<" in french.read_text(encoding="utf-8")
    practices = tmp_path / f"practices.{suffix}"
    outcome = cli("map", "export", "-o", str(practices), "--kind", "practices")
    assert outcome.code == 0 and practices.stat().st_size > 0


def test_map_export_refuses_clearly(cli: Cli, tmp_path: Path) -> None:
    wrong = cli("map", "export", "-o", str(tmp_path / "map.gif"))
    assert wrong.code == 1 and "png or .svg" in wrong.err
    tiny = cli("map", "export", "-o", str(tmp_path / "map.png"), "--width", "10")
    assert tiny.code == 1 and "between 200 and 10000" in tiny.err
    nowhere = cli("map", "export", "-o", str(tmp_path / "missing" / "map.png"))
    assert nowhere.code == 1 and "does not exist" in nowhere.err
    assert not (tmp_path / "map.png").exists()
    assert cli("map", "export").code == 2
