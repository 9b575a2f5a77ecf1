"""The bundled country outlines (resources/geo/world.json.gz, made by scripts/build_world.py).

Read once per process and kept. The outlines are stored already projected (Equal Earth) and
quantised, so reading them is only unpacking integers.
Country names follow the interface language through the country code list (CLDR) by ISO code;
the few territories without a code keep the names Natural Earth gives them.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from relay_app import codelists
from relay_app.i18n import current_language
from relay_app.resources import resources_dir

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Country:
    iso: str  # ISO 3166-1 alpha-2, or "" for a territory without one
    names: dict[str, str]  # Natural Earth's names by language, used when ``iso`` is empty
    plane_rings: tuple[Ring, ...]  # in the plane of relay_app.geo.projection; holes are rings too
    bounds: tuple[float, float, float, float]  # left, top, right, bottom in the plane
    label: tuple[float, float] | None = None  # where Natural Earth puts its name, in the plane

    def name(self) -> str:
        if self.iso:
            label = codelists.get("countries").label(self.iso)
            if label and label != self.iso:
                return label
        return self.names.get(current_language()) or self.names.get("en") or self.iso


@dataclass(frozen=True)
class World:
    source: str
    licence: str
    countries: tuple[Country, ...]

    def country_at(self, x: float, y: float) -> Country | None:
        """The territory whose outline holds the plane point (x, y), if any (the sea: None)."""
        for country in self.countries:
            left, top, right, bottom = country.bounds
            if left <= x <= right and top <= y <= bottom and _inside(country.plane_rings, x, y):
                return country
        return None


def _inside(rings: tuple[Ring, ...], x: float, y: float) -> bool:
    """Even-odd rule over every ring, as the map fills them: a hole's point is outside."""
    inside = False
    for ring in rings:
        previous_x, previous_y = ring[-1]
        for point_x, point_y in ring:
            if (point_y > y) != (previous_y > y) and x < (previous_x - point_x) * (y - point_y) / (
                previous_y - point_y
            ) + point_x:
                inside = not inside
            previous_x, previous_y = point_x, point_y
    return inside


def world_file() -> Path:
    return resources_dir() / "geo" / "world.json.gz"


def _decode(steps: list[int], quantum: float) -> Ring:
    """Delta-encoded integers back to plane points: the bundle is projected at build time."""
    xs = list(accumulate(steps[0::2]))
    ys = list(accumulate(steps[1::2]))
    return tuple(zip([x / quantum for x in xs], [y / quantum for y in ys], strict=True))


@cache
def load_world(path: Path | None = None) -> World:
    with gzip.open(path or world_file(), "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    quantum = float(data["quantum_per_unit"])
    countries = []
    for entry in data["countries"]:
        rings = tuple(_decode(steps, quantum) for steps in entry["rings"])
        xs = [x for ring in rings for x, _y in ring]
        ys = [y for ring in rings for _x, y in ring]
        bounds = (min(xs), min(ys), max(xs), max(ys))
        label = entry.get("label")
        at = (label[0] / quantum, label[1] / quantum) if label else None
        countries.append(Country(entry["iso"], dict(entry["names"]), rings, bounds, at))
    return World(data["source"], data["licence"], tuple(countries))
