"""Great-circle distances and the nearest points to a place, among tens of thousands.

Points are put on the unit sphere as 3-D vectors; the straight (chord) distance between two
vectors grows with the great-circle distance, so a k-d tree over the vectors finds the nearest by
chord, and the chord converts exactly to kilometres: d = 2 R asin(c / 2). No projection's
distortion, no trouble at the 180th meridian or the poles.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
Vector = tuple[float, float, float]


def unit_vector(latitude: float, longitude: float) -> Vector:
    lat, lon = math.radians(latitude), math.radians(longitude)
    cos_lat = math.cos(lat)
    return (cos_lat * math.cos(lon), cos_lat * math.sin(lon), math.sin(lat))


def chord_to_km(chord: float) -> float:
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2.0))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance along the Earth's surface (a sphere of the mean radius), in kilometres."""
    a, b = unit_vector(lat1, lon1), unit_vector(lat2, lon2)
    return chord_to_km(math.dist(a, b))


@dataclass(frozen=True)
class Neighbour:
    key: str
    distance_km: float


@dataclass
class _Node:
    vector: Vector
    key: str
    axis: int
    low: _Node | None
    high: _Node | None


class NearestIndex:
    """A k-d tree of (key, latitude, longitude); ``nearest`` answers in well under a millisecond."""

    def __init__(self, places: Sequence[tuple[str, float, float]]) -> None:
        items = [(unit_vector(lat, lon), key) for key, lat, lon in places]
        self._size = len(items)
        self._root = _build(items, 0)

    def __len__(self) -> int:
        return self._size

    def nearest(self, latitude: float, longitude: float, limit: int,
                exclude: frozenset[str] = frozenset()) -> list[Neighbour]:
        """The ``limit`` nearest keys, nearest first (ties by key), leaving out ``exclude``."""
        if limit <= 0 or self._root is None:
            return []
        target = unit_vector(latitude, longitude)
        best: list[tuple[float, str]] = []  # a max-heap by distance: (-squared chord, key)
        _search(self._root, target, limit, exclude, best)
        found = sorted(((-negative, key) for negative, key in best), key=lambda item: (item[0], item[1]))
        return [Neighbour(key, chord_to_km(math.sqrt(squared))) for squared, key in found]


def _build(items: list[tuple[Vector, str]], depth: int) -> _Node | None:
    if not items:
        return None
    axis = depth % 3
    items.sort(key=lambda item: item[0][axis])
    middle = len(items) // 2
    vector, key = items[middle]
    return _Node(vector, key, axis, _build(items[:middle], depth + 1), _build(items[middle + 1:], depth + 1))


def _search(node: _Node | None, target: Vector, limit: int, exclude: frozenset[str],
            best: list[tuple[float, str]]) -> None:
    if node is None:
        return
    vector = node.vector
    dx, dy, dz = vector[0] - target[0], vector[1] - target[1], vector[2] - target[2]
    squared = dx * dx + dy * dy + dz * dz
    if node.key not in exclude:
        if len(best) < limit:
            heapq.heappush(best, (-squared, node.key))
        elif squared < -best[0][0]:
            heapq.heapreplace(best, (-squared, node.key))
    offset = target[node.axis] - vector[node.axis]
    near, far = (node.low, node.high) if offset < 0 else (node.high, node.low)
    _search(near, target, limit, exclude, best)
    if len(best) < limit or offset * offset < -best[0][0]:
        _search(far, target, limit, exclude, best)
