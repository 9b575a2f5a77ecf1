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
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from relay_app.geo.projection import project, project_many

CELL_PX = 48.0
MAX_LEVEL = 16


class MapPoint(NamedTuple):
    """One record with a position: what a marker stands for. The index keeps columns, not
    these: one is made when asked for (a click, a list beside the map)."""

    id: str
    latitude: float
    longitude: float
    group: str  # the code that colours it: a partner's college, a practice's category
    title: str  # the record's name or title, as typed
    x: float = 0.0
    y: float = 0.0


def placed(record_id: str, latitude: float, longitude: float, group: str, title: str) -> MapPoint:
    x, y = project(longitude, latitude)
    return MapPoint(record_id, latitude, longitude, group, title, x, y)


class Cluster(NamedTuple):
    """One marker: a record, or a group of records drawn with their count. A named tuple, as
    tens of thousands are made per zoom level."""

    x: float
    y: float
    ids: tuple[str, ...]
    group: str  # the most frequent group among its points
    spread: bool = False  # its points are not all at one place (zooming in will part them)

    @property
    def count(self) -> int:
        return len(self.ids)


def level_for_scale(pixels_per_unit: float) -> int:
    if pixels_per_unit <= 1.0:
        return 0
    return min(MAX_LEVEL + 1, math.floor(math.log2(pixels_per_unit)))


@dataclass(frozen=True)
class Columns:
    """The placed records as parallel lists: 20,000 records read without 20,000 objects."""

    ids: list[str]
    latitudes: list[float]
    longitudes: list[float]
    groups: list[str]
    titles: list[str]


class ClusterIndex:
    def __init__(self, points: Iterable[MapPoint] = (), columns: Columns | None = None) -> None:
        if columns is None:
            chosen = list(points)
            columns = Columns([p.id for p in chosen], [p.latitude for p in chosen],
                              [p.longitude for p in chosen], [p.group for p in chosen],
                              [p.title for p in chosen])
        self._columns = columns
        self._ids, self._groups = columns.ids, columns.groups
        self._xs, self._ys = project_many(columns.longitudes, columns.latitudes)
        self._row_of: dict[str, int] | None = None
        self._sorted: dict[int, tuple[list[float], tuple[Cluster, ...]]] = {}
        self._levels: dict[int, tuple[Cluster, ...]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def groups(self) -> set[str]:
        return set(self._groups)

    @property
    def points(self) -> list[MapPoint]:
        return [self._point(row) for row in range(len(self._ids))]

    def point(self, record_id: str) -> MapPoint | None:
        if self._row_of is None:
            self._row_of = {record_id: row for row, record_id in enumerate(self._ids)}
        row = self._row_of.get(record_id)
        return None if row is None else self._point(row)

    def _point(self, row: int) -> MapPoint:
        columns = self._columns
        return MapPoint(columns.ids[row], columns.latitudes[row], columns.longitudes[row],
                        columns.groups[row], columns.titles[row], self._xs[row], self._ys[row])

    def clusters(self, level: int) -> tuple[Cluster, ...]:
        level = max(0, min(level, MAX_LEVEL + 1))
        found = self._levels.get(level)
        if found is None:
            found = self._levels[level] = self._compute(level)
        return found

    def prepare(self, levels: range | None = None) -> None:
        """Compute the levels ahead of use (on a worker), so no zoom step waits for one."""
        for level in levels if levels is not None else range(MAX_LEVEL + 2):
            self.clusters(level)

    def _compute(self, level: int) -> tuple[Cluster, ...]:
        # Once no marker of a level holds points at different places, every closer level is the
        # same: nothing is left to part.
        for coarser in range(level - 1, -1, -1):
            known = self._levels.get(coarser)
            if known is not None:
                if not any(cluster.spread for cluster in known):
                    return known
                break
        # Past the last level, only points at one spot share a marker (a 1e-6 unit cell).
        cell = CELL_PX / (2.0**level) if level <= MAX_LEVEL else 1e-6
        xs, ys = self._xs, self._ys
        floor = math.floor
        cells: dict[tuple[int, int], list[int]] = {}
        for number in range(len(xs)):
            key = (floor(xs[number] / cell), floor(ys[number] / cell))
            members = cells.get(key)
            if members is None:
                cells[key] = [number]
            else:
                members.append(number)
        groups = cells.values() if level > MAX_LEVEL else _merge_across_edges(xs, ys, cells, cell)
        return tuple(self._cluster(members) for members in groups)

    def _cluster(self, members: Sequence[int]) -> Cluster:
        if len(members) == 1:
            row = members[0]
            return Cluster(self._xs[row], self._ys[row], (self._ids[row],), self._groups[row])
        count = len(members)
        xs = list(map(self._xs.__getitem__, members))
        ys = list(map(self._ys.__getitem__, members))
        spread = len(set(xs)) > 1 or len(set(ys)) > 1
        group = Counter(map(self._groups.__getitem__, members)).most_common(1)[0][0]
        return Cluster(sum(xs) / count, sum(ys) / count, tuple(map(self._ids.__getitem__, members)),
                       group, spread)

    def visible(self, level: int, left: float, top: float, right: float, bottom: float,
                margin: float = 0.0) -> list[Cluster]:
        """The clusters of ``level`` inside a rectangle of the plane (widened by ``margin``)."""
        left, top, right, bottom = left - margin, top - margin, right + margin, bottom + margin
        xs, by_x = self._by_x(level)
        start, end = bisect_left(xs, left), bisect_right(xs, right)
        return [cluster for cluster in by_x[start:end] if top <= cluster.y <= bottom]

    def _by_x(self, level: int) -> tuple[list[float], tuple[Cluster, ...]]:
        """The level's clusters sorted from west to east, to cut out a view by bisection."""
        clusters = self.clusters(level)
        found = self._sorted.get(id(clusters))
        if found is None:
            ordered = tuple(sorted(clusters, key=lambda cluster: cluster.x))
            found = self._sorted[id(clusters)] = ([cluster.x for cluster in ordered], ordered)
        return found

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


def _merge_across_edges(
    xs: Sequence[float], ys: Sequence[float], cells: dict[tuple[int, int], list[int]], cell: float
) -> list[list[int]]:
    """Join the points of neighbouring cells whose centres are under half a cell apart.

    A grid alone would draw two overlapping markers for two towns 50 km apart that fall on each
    side of a cell's edge. The fullest cells absorb their close neighbours first. A centre can
    be that close only to the cells beside the edges it is nearer to, so three are looked at.
    """
    centres: dict[tuple[int, int], tuple[float, float]] = {}
    for key, members in cells.items():
        if len(members) == 1:
            centres[key] = (xs[members[0]], ys[members[0]])
        else:
            count = len(members)
            centres[key] = (sum(xs[n] for n in members) / count, sum(ys[n] for n in members) / count)
    reach = (cell / 2.0) ** 2
    taken: set[tuple[int, int]] = set()
    groups: list[list[int]] = []
    order = sorted(cells, key=lambda key: -len(cells[key])) if len(cells) < len(xs) else list(cells)
    for key in order:
        if key in taken:
            continue
        taken.add(key)
        group = cells[key]
        x, y = centres[key]
        column, row = key
        step_x = 1 if x / cell - column >= 0.5 else -1
        step_y = 1 if y / cell - row >= 0.5 else -1
        for other in ((column + step_x, row), (column, row + step_y), (column + step_x, row + step_y)):
            centre = centres.get(other)
            if centre is None or other in taken:
                continue
            if (centre[0] - x) ** 2 + (centre[1] - y) ** 2 < reach:
                taken.add(other)
                group = [*group, *cells[other]]
        groups.append(group)
    return groups
