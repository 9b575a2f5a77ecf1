"""Equal Earth: the world's frame, known points, and the way back from the plane."""

from __future__ import annotations

import math

import pytest

from relay_app.geo.projection import (
    HALF_HEIGHT,
    HALF_WIDTH,
    PLANE_WIDTH,
    outline,
    project,
    project_many,
    unproject,
)


def test_the_world_spans_the_plane_north_up() -> None:
    assert project(0, 0) == (0.0, 0.0)
    east, _y = project(180, 0)
    assert east == pytest.approx(HALF_WIDTH)
    assert project(-180, 0)[0] == pytest.approx(-HALF_WIDTH)
    _x, north = project(0, 90)
    assert north == pytest.approx(-HALF_HEIGHT)  # screens count y downwards
    assert project(0, -90)[1] == pytest.approx(HALF_HEIGHT)
    ratio = PLANE_WIDTH / (2 * HALF_HEIGHT)
    assert ratio == pytest.approx(2.0546, abs=1e-3)  # Equal Earth's width to height


def test_equal_areas_in_the_tropics_and_in_europe() -> None:
    """A 1° x 1° cell keeps its share of the Earth's surface wherever it lies: the one at 59-60°N
    covers about half the area of one on the equator, on the sphere and on the map alike."""

    def map_area(south: float) -> float:
        corners = [project(10, south), project(11, south), project(11, south + 1), project(10, south + 1)]
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1],
                                                                           strict=True))) / 2

    def sphere_area(south: float) -> float:
        return math.sin(math.radians(south + 1)) - math.sin(math.radians(south))

    assert map_area(59) / map_area(-0.5) == pytest.approx(sphere_area(59) / sphere_area(-0.5), rel=1e-3)


@pytest.mark.parametrize(("longitude", "latitude"), [(2.35, 48.86), (-17.44, 14.69), (179.9, -89.5),
                                                     (-120.0, 60.0), (0.0, 0.0), (151.2, -33.9)])
def test_unproject_returns_the_place(longitude: float, latitude: float) -> None:
    back = unproject(*project(longitude, latitude))
    assert back is not None
    assert back[0] == pytest.approx(longitude, abs=1e-7)
    assert back[1] == pytest.approx(latitude, abs=1e-7)


def test_outside_the_world_is_no_place() -> None:
    assert unproject(0, -HALF_HEIGHT - 1) is None
    assert unproject(HALF_WIDTH * 0.9, -HALF_HEIGHT * 0.9) is None  # beyond the curved edge
    edge = outline()
    assert min(x for x, _y in edge) == pytest.approx(-HALF_WIDTH)


def test_projecting_columns_gives_the_same_points() -> None:
    longitudes, latitudes = [2.35, -17.44, 179.9, 0.0], [48.86, 14.69, -89.5, 0.0]
    xs, ys = project_many(longitudes, latitudes)
    for x, y, longitude, latitude in zip(xs, ys, longitudes, latitudes, strict=True):
        assert (x, y) == pytest.approx(project(longitude, latitude), abs=1e-9)
