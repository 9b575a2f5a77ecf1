"""Practices by area, checked against figures worked out by hand."""

from __future__ import annotations

import pytest

from relay_app.geo.areas import area_words, best_areas, summarise_areas
from relay_app.i18n import set_language


def practice(climate: str | None, soil: str | None, land_use: str | None, before: float | None = None,
             after: float | None = None, years: float | None = None) -> dict[str, object]:
    return {"climate_zone": climate, "soil_group": soil, "land_use": land_use, "soc_before_t_ha": before,
            "soc_after_t_ha": after, "soc_years": years, "soc_depth_cm": 30}


def test_counts_and_mean_change_per_area() -> None:
    rows = [
        # Tropical dry x Arenosols x cropland: (55 - 50) / 50 / 10 y = 10 ‰/yr; (42 - 40) / 40 / 5 y
        # = 10 ‰/yr; (101 - 100) / 100 / 5 y = 2 ‰/yr; and one without a result. Mean (10+10+2)/3.
        ("a", practice("tropical_dry", "AR", "cropland", 50, 55, 10)),
        ("b", practice("tropical_dry", "AR", "cropland", 40, 42, 5)),
        ("c", practice("tropical_dry", "AR", "cropland", 100, 101, 5)),
        ("d", practice("tropical_dry", "AR", "cropland")),
        # Warm temperate moist x Luvisols x grazing_land: (60 - 66) / 60 / 20 y = -5 ‰/yr, a loss.
        ("e", practice("warm_temperate_moist", "LV", "grazing_land", 60, 57, 10)),
        ("f", practice("warm_temperate_moist", "LV", "grazing_land", 66, 63, 5)),
        # No climate zone stated: its own area, whose only practice has no duration (no rate).
        ("g", practice(None, "AR", "cropland", 50, 60, None)),
    ]
    areas = {area.key: area for area in summarise_areas(rows)}
    dry = areas[("tropical_dry", "AR", "cropland")]
    assert (dry.practices, dry.with_soc) == (4, 3)
    assert dry.mean_annual_change_per_mille == pytest.approx(22 / 3)
    assert dry.target_ratio == pytest.approx(22 / 3 / 4)
    assert dry.meets_target
    assert set(dry.practice_ids) == {"a", "b", "c", "d"}
    # (57 - 60) / 60 / 10 = -5 ‰/yr and (63 - 66) / 66 / 5 = -9.0909 ‰/yr: mean -7.045 ‰/yr.
    moist = areas[("warm_temperate_moist", "LV", "grazing_land")]
    assert (moist.practices, moist.with_soc) == (2, 2)
    assert moist.mean_annual_change_per_mille == pytest.approx((-5 + -3 / 66 / 5 * 1000) / 2)
    assert not moist.meets_target
    unstated = areas[(None, "AR", "cropland")]
    assert (unstated.practices, unstated.with_soc, unstated.mean_annual_change_per_mille) == (1, 0, None)
    assert unstated.to_json() == {"climate_zone": None, "soil_group": "AR", "land_use": "cropland",
                                  "practices": 1, "with_soc": 0, "mean_annual_change_per_mille": None}
    # Most practices first; the best measured gains first among hotspots.
    assert [area.practices for area in summarise_areas(rows)] == [4, 2, 1]
    assert [area.key for area in best_areas(areas.values())] == [dry.key, moist.key]


def test_area_words_in_the_reader_language() -> None:
    assert area_words(("tropical_dry", "AR", None)) == ("Tropical dry", "Arenosols", "(not stated)")
    set_language("fr")
    climate, _soil, land_use = area_words(("tropical_dry", "AR", "cropland"))
    assert climate != "Tropical dry" or land_use != "Cropland"
