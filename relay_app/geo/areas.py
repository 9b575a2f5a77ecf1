"""Practices grouped by area: IPCC climate zone x WRB soil group x land use.

Each area counts its practices, how many have a soil organic carbon result, and the mean of
those results in per mille per year, computed per practice by ``relay_app.carbon.soc_change``
(the same arithmetic as the practice's own page) and compared with the 4 per mille target. A
practice without a result counts in ``practices`` but never in the mean: a rate is not guessed.
A field left empty makes its own area ("not stated"), so no practice disappears from the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from relay_app import carbon, codelists
from relay_app.i18n import _

AreaKey = tuple[str | None, str | None, str | None]  # climate zone, soil group, land use


@dataclass(frozen=True)
class AreaSummary:
    climate_zone: str | None
    soil_group: str | None
    land_use: str | None
    practices: int
    with_soc: int
    mean_annual_change_per_mille: float | None
    practice_ids: tuple[str, ...]

    @property
    def key(self) -> AreaKey:
        return (self.climate_zone, self.soil_group, self.land_use)

    @property
    def target_ratio(self) -> float | None:
        mean = self.mean_annual_change_per_mille
        return None if mean is None else mean / carbon.TARGET_PER_MILLE

    @property
    def meets_target(self) -> bool:
        mean = self.mean_annual_change_per_mille
        return mean is not None and mean >= carbon.TARGET_PER_MILLE

    def to_json(self) -> dict[str, Any]:
        return {
            "climate_zone": self.climate_zone,
            "soil_group": self.soil_group,
            "land_use": self.land_use,
            "practices": self.practices,
            "with_soc": self.with_soc,
            "mean_annual_change_per_mille": self.mean_annual_change_per_mille,
        }


def not_stated() -> str:
    return _("(not stated)")


def area_words(key: AreaKey) -> tuple[str, str, str]:
    """The area's climate zone, soil group and land use in the reader's language."""
    climate, soil, land_use = (
        codelists.get(name).label(code) if code else not_stated()
        for name, code in zip(("climate_zones", "soil_groups", "land_uses"), key, strict=True)
    )
    return climate, soil, land_use


def area_of(values: Mapping[str, Any]) -> AreaKey:
    return (values.get("climate_zone") or None, values.get("soil_group") or None,
            values.get("land_use") or None)


def annual_change_per_mille(values: Mapping[str, Any]) -> float | None:
    result = carbon.soc_change(
        _number(values.get("soc_before_t_ha")),
        _number(values.get("soc_after_t_ha")),
        _number(values.get("soc_years")),
        _number(values.get("soc_depth_cm")),
    )
    return result.per_mille_per_year


def summarise_areas(practices: Iterable[tuple[str, Mapping[str, Any]]]) -> list[AreaSummary]:
    """One summary per area that has practices: most practices first, then by the area's codes."""
    grouped: dict[AreaKey, tuple[list[str], list[float]]] = {}
    for practice_id, values in practices:
        ids, rates = grouped.setdefault(area_of(values), ([], []))
        ids.append(practice_id)
        rate = annual_change_per_mille(values)
        if rate is not None:
            rates.append(rate)
    summaries = [
        AreaSummary(*key, len(ids), len(rates), sum(rates) / len(rates) if rates else None, tuple(ids))
        for key, (ids, rates) in grouped.items()
    ]
    summaries.sort(key=lambda area: (-area.practices, tuple(code or "~" for code in area.key)))
    return summaries


def best_areas(summaries: Iterable[AreaSummary], limit: int = 10) -> list[AreaSummary]:
    """The areas with the highest measured mean gain ("hotspots"), best first."""
    measured = [area for area in summaries if area.mean_annual_change_per_mille is not None]
    measured.sort(key=lambda area: (-(area.mean_annual_change_per_mille or 0.0), -area.with_soc))
    return measured[:limit]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
