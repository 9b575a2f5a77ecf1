"""Markers grouped per zoom level: one marker for a dense region at world scale, apart up close."""

from __future__ import annotations

import random

from relay_app.geo.clustering import CELL_PX, MAX_LEVEL, ClusterIndex, level_for_scale, placed

DAKAR = placed("dakar", 14.6928, -17.4467, "research_education", "Dakar")
THIES = placed("thies", 14.7910, -16.9359, "civil_society_ngos", "Thiès")
PARIS = placed("paris", 48.8566, 2.3522, "research_education", "Paris")


def test_neighbours_share_a_marker_at_world_scale_and_part_when_zoomed() -> None:
    index = ClusterIndex([DAKAR, THIES, PARIS])
    world = sorted(index.clusters(0), key=lambda cluster: -cluster.count)
    assert [cluster.count for cluster in world] == [2, 1]
    assert set(world[0].ids) == {"dakar", "thies"}
    # The shared marker sits between the two, at their centroid.
    assert world[0].x == (DAKAR.x + THIES.x) / 2
    close = index.clusters(9)  # about 500 px per plane unit: 50 km are many pixels
    assert sorted(cluster.count for cluster in close) == [1, 1, 1]


def test_each_level_keeps_every_record_once() -> None:
    rnd = random.Random(4)
    points = [placed(str(n), rnd.uniform(-60, 70), rnd.uniform(-180, 180), "x", "") for n in range(2000)]
    index = ClusterIndex(points)
    previous = 0
    for level in range(MAX_LEVEL + 2):
        clusters = index.clusters(level)
        ids = [record_id for cluster in clusters for record_id in cluster.ids]
        assert sorted(ids) == sorted(point.id for point in points)
        assert len(clusters) >= previous  # closer in, never fewer markers
        previous = len(clusters)
    assert len(index.clusters(0)) < 250  # a world map with a few hundred shapes at most
    assert len(index.clusters(MAX_LEVEL + 1)) == 2000


def test_the_same_place_stays_one_marker_at_every_zoom() -> None:
    twins = [placed("a", 10, 10, "x", ""), placed("b", 10, 10, "y", "")]
    index = ClusterIndex(twins)
    assert [cluster.count for cluster in index.clusters(MAX_LEVEL + 1)] == [2]


def test_level_of_a_scale_and_the_visible_part() -> None:
    assert level_for_scale(0.5) == 0
    assert level_for_scale(1.0) == 0
    assert level_for_scale(2.5) == 1
    assert level_for_scale(2.0**30) == MAX_LEVEL + 1
    index = ClusterIndex([DAKAR, PARIS])
    shown = index.visible(9, PARIS.x - 1, PARIS.y - 1, PARIS.x + 1, PARIS.y + 1)
    assert [cluster.ids for cluster in shown] == [("paris",)]
    assert index.hit(9, PARIS.x + 0.01, PARIS.y, 0.05).ids == ("paris",)  # type: ignore[union-attr]
    assert index.hit(9, PARIS.x + 1, PARIS.y, 0.05) is None
    assert CELL_PX > 0
