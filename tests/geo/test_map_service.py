"""The map's reads from a real store: the list's filters, records without a position, neighbours."""

from __future__ import annotations

import pytest

from relay_app.geo.nearest import great_circle_km
from relay_app.services import Services
from relay_app.services.errors import NotFound
from relay_app.services.mapping import NoPosition
from tests import factories

DAKAR = (14.6928, -17.4467)
THIES = (14.7910, -16.9359)
PARIS = (48.8566, 2.3522)
NAIROBI = (-1.2864, 36.8172)


def add_partner(services: Services, name: str, place: tuple[float, float] | None, **values: object) -> str:
    latitude, longitude = place if place is not None else (None, None)
    return services.records("partners").create(
        factories.partner(name=name, acronym=None, latitude=latitude, longitude=longitude, **values)).id


def test_markers_for_placed_records_only_and_the_lists_filters(services: Services) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR, college="research_education")
    add_partner(services, "Paris network", PARIS, college="civil_society_ngos", country="FR")
    add_partner(services, "Lost cooperative", None, college="research_education")
    content = services.map.content("partners")
    assert sorted(point.title for point in content.index.points) == ["Dakar soil lab", "Paris network"]
    assert content.unplaced == 1
    assert content.unplaced_text() == "1 partner has no position"
    assert content.placed_text() == "2 partners on the map"
    filtered = services.map.content("partners", filters={"college": "research_education"})
    assert [point.id for point in filtered.index.points] == [dakar]
    assert filtered.unplaced == 1
    searched = services.map.content("partners", search="paris")
    assert [point.title for point in searched.index.points] == ["Paris network"]
    assert searched.unplaced == 0
    assert {entry.code for entry in content.legend()} == {"research_education", "civil_society_ngos"}


def test_nearest_partners_with_distances_and_contacts(services: Services) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR)
    thies = add_partner(services, "Thiès farmers", THIES, email="thies@example.org",
                        phone="+221 33 951 00 00")
    paris = add_partner(services, "Paris network", PARIS)
    add_partner(services, "Nairobi centre", NAIROBI)
    add_partner(services, "Lost cooperative", None)
    nearby = services.map.nearest_partners(dakar, 2)
    assert [partner.id for partner in nearby] == [thies, paris]
    assert nearby[0].distance_km == pytest.approx(56.00, abs=0.05)
    assert nearby[1].distance_km == pytest.approx(great_circle_km(*DAKAR, *PARIS))
    assert (nearby[0].email, nearby[0].phone, nearby[0].city) == (
        "thies@example.org", "+221 33 951 00 00", "Dakar")
    assert nearby[0].to_json()["distance_km"] == 56.004
    # Any place on the map: the nearest partners to a point off the coast of Senegal.
    assert [p.id for p in services.map.nearest_partners_to(14.0, -18.0, 1)] == [dakar]


def test_the_neighbours_follow_edits(services: Services) -> None:
    dakar = add_partner(services, "Dakar soil lab", DAKAR)
    thies = add_partner(services, "Thiès farmers", THIES)
    paris = add_partner(services, "Paris network", PARIS)
    assert services.map.nearest_partners(dakar, 1)[0].id == thies
    services.records("partners").update(paris, {"latitude": 14.70, "longitude": -17.45})  # moved next door
    assert services.map.nearest_partners(dakar, 1)[0].id == paris
    services.records("partners").delete(paris)
    assert services.map.nearest_partners(dakar, 1)[0].id == thies


def test_edits_by_another_program_are_seen_too(
    services: Services, paths, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    from relay_app.services import mapping, open_services

    monkeypatch.setattr(mapping, "RECHECK_SECONDS", 3600.0)
    dakar = add_partner(services, "Dakar soil lab", DAKAR)
    thies = add_partner(services, "Thiès farmers", THIES)
    assert services.map.nearest_partners(dakar, 1)[0].id == thies
    with open_services(paths) as other:  # the command line, beside the window
        paris = add_partner(other, "Paris network", (14.70, -17.45))
    assert services.map.nearest_partners(dakar, 1)[0].id == thies  # not looked for before the delay
    monkeypatch.setattr(mapping, "RECHECK_SECONDS", 0.0)
    assert services.map.nearest_partners(dakar, 1)[0].id == paris


def test_a_partner_without_position_or_unknown(services: Services) -> None:
    lost = add_partner(services, "Lost cooperative", None)
    with pytest.raises(NoPosition, match="Lost cooperative has no position"):
        services.map.nearest_partners(lost)
    with pytest.raises(NotFound):
        services.map.nearest_partners("no-such-partner")


def test_practices_by_area_from_the_store(services: Services) -> None:
    practices = services.records("practices")
    practices.create(factories.practice())  # 50 -> 55 t C/ha in 10 years: 10 ‰/yr
    practices.create(factories.practice(soc_before_t_ha=40, soc_after_t_ha=41, soc_years=5))  # 5 ‰/yr
    practices.create(factories.practice(soc_before_t_ha=None, soc_after_t_ha=None, soc_years=None,
                                        soc_depth_cm=None))
    practices.create(factories.practice(land_use="grazing_land"))
    areas = services.map.practices_by_area()
    assert [area.to_json() for area in areas] == [
        {"climate_zone": "tropical_dry", "soil_group": "AR", "land_use": "cropland", "practices": 3,
         "with_soc": 2, "mean_annual_change_per_mille": pytest.approx(7.5)},
        {"climate_zone": "tropical_dry", "soil_group": "AR", "land_use": "grazing_land", "practices": 1,
         "with_soc": 1, "mean_annual_change_per_mille": pytest.approx(10.0)},
    ]
    grazing_land = services.map.practices_by_area(filters={"land_use": "grazing_land"})
    assert [area.practices for area in grazing_land] == [1]
