"""Markers grouped per zoom level on a grid, so the map draws a few hundred shapes, not 20,000.

Zoom level ``z`` is the map drawn ``2**z`` pixels per plane unit (level 0: the world 1,024 px
wide). At each level the plane is cut into square cells of ``CELL_PX`` screen pixels; the points
of one cell become one cluster, drawn at their centroid with their count. A level is computed the
first time it is asked for (one pass over the points, a few milliseconds for 20,000) and kept.
Past ``MAX_LEVEL`` (about 2 m per pixel) nothing is grouped any more, except points at the very
same place.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from relay_app.geo.projection import project

CELL_PX = 48.0
MAX_LEVEL = 16


@dataclass(frozen=True)
class MapPoint:
    """One record with a position: what a marker stands for."""

    id: str
    latitude: float
    longitude: float
    group: str  # the code that colours it: a partner's college, a practice's category
    title: str
    x: float = field(default=0.0, compare=False)
    y: float = field(default=0.0, compare=False)


def placed(record_id: str, latitude: float, longitude: float, group: str, title: str) -> MapPoint:
    x, y = project(longitude, latitude)
    return MapPoint(record_id, latitude, longitude, group, title, x, y)


@dataclass(frozen=True)
class Cluster:
    x: float
    y: float
    ids: tuple[str, ...]
    group: str  # the most frequent group among its points

    @property
    def count(self) -> int:
        return len(self.ids)


def level_for_scale(pixels_per_unit: float) -> int:
    if pixels_per_unit <= 1.0:
        return 0
    return min(MAX_LEVEL + 1, math.floor(math.log2(pixels_per_unit)))


class ClusterIndex:
    def __init__(self, points: Iterable[MapPoint]) -> None:
        self.points: tuple[MapPoint, ...] = tuple(points)
        self._by_id = {point.id: point for point in self.points}
        self._levels: dict[int, tuple[Cluster, ...]] = {}

    def __len__(self) -> int:
        return len(self.points)

    def point(self, record_id: str) -> MapPoint | None:
        return self._by_id.get(record_id)

    def clusters(self, level: int) -> tuple[Cluster, ...]:
        level = max(0, min(level, MAX_LEVEL + 1))
        found = self._levels.get(level)
        if found is None:
            found = self._levels[level] = self._compute(level)
        return found

    def _compute(self, level: int) -> tuple[Cluster, ...]:
        # Past the last level, only points at one spot share a marker (a 1e-6 unit cell).
        cell = CELL_PX / (2.0**level) if level <= MAX_LEVEL else 1e-6
        cells: dict[tuple[int, int], list[MapPoint]] = {}
        for point in self.points:
            key = (math.floor(point.x / cell), math.floor(point.y / cell))
            members = cells.get(key)
            if members is None:
                cells[key] = [point]
            else:
                members.append(point)
        return tuple(_cluster(members) for members in cells.values())

    def visible(self, level: int, left: float, top: float, right: float, bottom: float,
                margin: float = 0.0) -> list[Cluster]:
        """The clusters of ``level`` inside a rectangle of the plane (widened by ``margin``)."""
        left, top, right, bottom = left - margin, top - margin, right + margin, bottom + margin
        return [
            cluster for cluster in self.clusters(level)
            if left <= cluster.x <= right and top <= cluster.y <= bottom
        ]

    def hit(self, level: int, x: float, y: float, radius: float) -> Cluster | None:
        """The cluster of ``level`` nearest to (x, y), if within ``radius`` plane units."""
        best: Cluster | None = None
        best_distance = radius * radius
        for cluster in self.clusters(level):
            dx, dy = cluster.x - x, cluster.y - y
            distance = dx * dx + dy * dy
            if distance <= best_distance:
                best, best_distance = cluster, distance
        return best


def _cluster(members: Sequence[MapPoint]) -> Cluster:
    if len(members) == 1:
        only = members[0]
        return Cluster(only.x, only.y, (only.id,), only.group)
    count = len(members)
    x = sum(point.x for point in members) / count
    y = sum(point.y for point in members) / count
    group = Counter(point.group for point in members).most_common(1)[0][0]
    return Cluster(x, y, tuple(point.id for point in members), group)
