"""The 4 per 1000 arithmetic: how fast a practice changes the soil's organic carbon stock.

The relative annual rate is r = (S_after - S_before) / (S_before * years), shown in per mille
per year and compared with the Initiative's target of +4 ‰ per year, which is reckoned on
the top 30-40 cm of soil. Without a baseline stock or a duration the answer is "n/a": a rate
is never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from babel.numbers import format_decimal

from relay_app.i18n import _, current_locale

TARGET_PER_MILLE = 4.0
CO2_PER_C = 44.0 / 12.0  # molar mass of CO2 over that of carbon
TARGET_DEPTH_CM = (30.0, 40.0)
MIN_RELIABLE_YEARS = 5.0

# Why a result is not available (SocResult.unavailable_reason).
NO_BASELINE = "no_baseline"
NO_FINAL_STOCK = "no_final_stock"
NO_DURATION = "no_duration"


@dataclass(frozen=True)
class SocWarning:
    code: str
    message: str


@dataclass(frozen=True)
class SocResult:
    annual_gain_t_ha: float | None
    relative_rate: float | None
    per_mille_per_year: float | None
    target_ratio: float | None
    co2e_t_ha_per_year: float | None
    warnings: tuple[SocWarning, ...]
    unavailable_reason: str | None = None

    @property
    def available(self) -> bool:
        return self.per_mille_per_year is not None


def soc_change(
    before: float | None,
    after: float | None,
    years: float | None,
    depth_cm: float | None = None,
) -> SocResult:
    """Compare SOC stocks (t C/ha) measured ``years`` apart with the 4 per 1000 target."""
    warnings = _warnings(_finite(years), _finite(depth_cm))
    baseline, final, duration = _finite(before), _finite(after), _finite(years)
    # A zero (or negative) stock is no baseline at all: dividing by it would invent a rate.
    if baseline is None or baseline <= 0:
        return _unavailable(NO_BASELINE, warnings)
    if final is None or final < 0:
        return _unavailable(NO_FINAL_STOCK, warnings)
    if duration is None or duration <= 0:
        return _unavailable(NO_DURATION, warnings)
    annual_gain = (final - baseline) / duration
    relative_rate = annual_gain / baseline
    per_mille = relative_rate * 1000.0
    return SocResult(
        annual_gain_t_ha=annual_gain,
        relative_rate=relative_rate,
        per_mille_per_year=per_mille,
        target_ratio=per_mille / TARGET_PER_MILLE,
        co2e_t_ha_per_year=annual_gain * CO2_PER_C,
        warnings=warnings,
    )


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _unavailable(reason: str, warnings: tuple[SocWarning, ...]) -> SocResult:
    return SocResult(None, None, None, None, None, warnings, reason)


def _warnings(years: float | None, depth_cm: float | None) -> tuple[SocWarning, ...]:
    found: list[SocWarning] = []
    low, high = TARGET_DEPTH_CM
    if depth_cm is None:
        found.append(
            SocWarning(
                "depth_unknown",
                _("Sampling depth unknown: the 4 per 1000 target refers to the top 30-40 cm."),
            )
        )
    elif not low <= depth_cm <= high:
        found.append(
            SocWarning(
                "depth_outside_30_40",
                _(
                    "Sampled to {depth} cm: the 4 per 1000 target refers to the top 30-40 cm, "
                    "so the rates are not directly comparable."
                ).format(depth=_number(depth_cm)),
            )
        )
    if years is not None and 0 < years < MIN_RELIABLE_YEARS:
        found.append(
            SocWarning(
                "short_duration",
                _(
                    "Measured over {years} years only: changes in soil carbon need at least "
                    "5 years to show reliably."
                ).format(years=_number(years)),
            )
        )
    return tuple(found)


def _number(value: float) -> str:
    return format_decimal(value, format="#,##0.##", locale=current_locale())


def describe(result: SocResult) -> str:
    """One translated line, e.g. "10 ‰ per year — 2.5 × the 4 ‰ target"."""
    if not result.available:
        if result.unavailable_reason == NO_DURATION:
            return _("n/a: no duration")
        if result.unavailable_reason == NO_FINAL_STOCK:
            return _("n/a: no final stock")
        return _("n/a: no baseline stock")
    assert result.per_mille_per_year is not None and result.target_ratio is not None
    rate = _number(result.per_mille_per_year)
    target = _number(TARGET_PER_MILLE)
    if result.per_mille_per_year < 0:
        return _("{rate} ‰ per year — a loss, against a target of +{target} ‰").format(
            rate=rate, target=target
        )
    return _("{rate} ‰ per year — {ratio} × the {target} ‰ target").format(
        rate=rate, ratio=_number(result.target_ratio), target=target
    )
