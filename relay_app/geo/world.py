"""The bundled country outlines (resources/geo/world.json.gz, made by scripts/build_world.py).

Read once per process and kept: decoding takes some tens of milliseconds, drawing many times.
Country names follow the interface language through the country code list (CLDR) by ISO code;
the few territories without a code keep the names Natural Earth gives them.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from relay_app import codelists
from relay_app.geo.projection import project
from relay_app.i18n import current_language
from relay_app.resources import resources_dir

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Country:
    iso: str  # ISO 3166-1 alpha-2, or "" for a territory without one
    names: dict[str, str]  # Natural Earth's names by language, used when ``iso`` is empty
    rings: tuple[Ring, ...]  # (longitude, latitude) in degrees; holes are rings too (odd-even)
    plane_rings: tuple[Ring, ...]  # the same, projected

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


def world_file() -> Path:
    return resources_dir() / "geo" / "world.json.gz"


def _decode(steps: list[int], quantum: float) -> Ring:
    x = y = 0
    points = []
    for index in range(0, len(steps), 2):
        x += steps[index]
        y += steps[index + 1]
        points.append((x / quantum, y / quantum))
    return tuple(points)


@cache
def load_world(path: Path | None = None) -> World:
    with gzip.open(path or world_file(), "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    quantum = float(data["quantum_per_degree"])
    countries = []
    for entry in data["countries"]:
        rings = tuple(_decode(steps, quantum) for steps in entry["rings"])
        plane = tuple(tuple(project(lon, lat) for lon, lat in ring) for ring in rings)
        countries.append(Country(entry["iso"], dict(entry["names"]), rings, plane))
    return World(data["source"], data["licence"], tuple(countries))
