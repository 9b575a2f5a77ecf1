"""The 4 per 1000 arithmetic against values worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from relay_app.carbon import TARGET_PER_MILLE, SocResult, describe, soc_change
from relay_app.i18n import set_language


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def codes(result: SocResult) -> list[str]:
    return [warning.code for warning in result.warnings]


def test_the_initiative_example():
    # 50 t C/ha gaining 0.5 t C/ha/yr for 10 years: 0.5 / 50 = 1 % = 10 ‰ per year.
    result = soc_change(50, 55, 10, depth_cm=30)
    assert result.available
    assert result.annual_gain_t_ha == pytest.approx(0.5)
    assert result.relative_rate == pytest.approx(0.01)
    assert result.per_mille_per_year == pytest.approx(10.0)
    assert result.target_ratio == pytest.approx(2.5)
    assert result.co2e_t_ha_per_year == pytest.approx(0.5 * 44 / 12)
    assert result.co2e_t_ha_per_year == pytest.approx(1.833333, abs=1e-6)
    assert result.warnings == ()
    assert describe(result) == "10 ‰ per year — 2.5 × the 4 ‰ target"


def test_exactly_the_target():
    # 40 t C/ha * 0.004 * 20 years = 3.2 t C/ha gained.
    result = soc_change(40, 43.2, 20, depth_cm=40)
    assert result.per_mille_per_year == pytest.approx(TARGET_PER_MILLE)
    assert result.target_ratio == pytest.approx(1.0)
    assert describe(result) == "4 ‰ per year — 1 × the 4 ‰ target"


def test_a_loss():
    # 60 -> 57 over 6 years: -0.5 t/yr, -0.5/60 = -8.333 ‰ per year.
    result = soc_change(60, 57, 6, depth_cm=30)
    assert result.annual_gain_t_ha == pytest.approx(-0.5)
    assert result.per_mille_per_year == pytest.approx(-8.333333, abs=1e-6)
    assert result.target_ratio == pytest.approx(-2.083333, abs=1e-6)
    assert result.co2e_t_ha_per_year == pytest.approx(-0.5 * 44 / 12)
    assert describe(result) == "-8.33 ‰ per year — a loss, against a target of +4 ‰"


def test_no_change():
    result = soc_change(45, 45, 8, depth_cm=35)
    assert result.available
    assert result.per_mille_per_year == 0
    assert result.target_ratio == 0
    assert result.co2e_t_ha_per_year == 0
    assert describe(result) == "0 ‰ per year — 0 × the 4 ‰ target"


@pytest.mark.parametrize("before", [None, 0, 0.0, -3, float("nan")])
def test_no_baseline_means_not_available(before: float | None):
    result = soc_change(before, 55, 10, depth_cm=30)
    assert not result.available
    assert result.per_mille_per_year is None
    assert result.relative_rate is None
    assert result.target_ratio is None
    assert result.annual_gain_t_ha is None
    assert result.co2e_t_ha_per_year is None
    assert describe(result) == "n/a: no baseline stock"


@pytest.mark.parametrize("years", [None, 0, -2])
def test_no_duration_means_not_available(years: float | None):
    result = soc_change(50, 55, years, depth_cm=30)
    assert not result.available
    assert result.per_mille_per_year is None
    assert describe(result) == "n/a: no duration"


def test_no_final_stock_means_not_available():
    result = soc_change(50, None, 10, depth_cm=30)
    assert not result.available
    assert describe(result) == "n/a: no final stock"


def test_depth_unknown_warns():
    result = soc_change(50, 55, 10)
    assert codes(result) == ["depth_unknown"]
    assert result.warnings[0].message


@pytest.mark.parametrize(
    ("depth", "warns"),
    [(20, True), (29.9, True), (30, False), (40, False), (41, True), (100, True)],
)
def test_depth_outside_30_40_warns(depth: float, warns: bool):
    result = soc_change(50, 55, 10, depth_cm=depth)
    assert codes(result) == (["depth_outside_30_40"] if warns else [])
    assert result.available  # a warning never hides the figure


def test_depth_warning_names_the_depth():
    [warning] = soc_change(50, 55, 10, depth_cm=20).warnings
    assert "20 cm" in warning.message


@pytest.mark.parametrize(("years", "warns"), [(1, True), (4.5, True), (5, False), (12, False)])
def test_short_duration_warns(years: float, warns: bool):
    result = soc_change(50, 55, years, depth_cm=30)
    assert ("short_duration" in codes(result)) is warns


def test_all_warnings_together_and_even_without_a_figure():
    assert codes(soc_change(None, None, 3, depth_cm=60)) == [
        "depth_outside_30_40",
        "short_duration",
    ]
    assert codes(soc_change(50, 51, 2)) == ["depth_unknown", "short_duration"]


def test_describe_formats_numbers_for_the_current_language():
    set_language("fr")
    text = describe(soc_change(50, 55, 10, depth_cm=30))
    assert "2,5" in text
    assert "10" in text
