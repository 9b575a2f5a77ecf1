"""Equal Earth (Šavrič, Patterson and Jenny, 2018), scaled to a plane of ``PLANE_WIDTH`` units.

Why Equal Earth: it is equal-area, so a cluster of markers and the land under it keep their true
share of the world (Web Mercator would show Europe as large as Africa and would count the
tropics' practices in a shrunken space); its straight parallels keep "north is up" and a latitude
reads across the whole map; and it is one closed formula each way, with no library to ship.

Plane coordinates have the origin at (0°, 0°), x to the east and y to the **south**, as screens
and Qt's scene count them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3.0) / 2.0
_X_MAX = 2.7066299836960743  # x at (180°, 0°) in the formula's own units
_Y_MAX = 1.3173627591574133  # y at the pole

PLANE_WIDTH = 1024.0
SCALE = PLANE_WIDTH / (2.0 * _X_MAX)
PLANE_HEIGHT = 2.0 * _Y_MAX * SCALE
HALF_WIDTH = PLANE_WIDTH / 2.0
HALF_HEIGHT = PLANE_HEIGHT / 2.0


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """(x, y) in the plane for a position in degrees."""
    theta = math.asin(_M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2.0 * math.sqrt(3.0) * math.radians(longitude) * math.cos(theta) / (
        3.0 * (9.0 * _A4 * t6 * t2 + 7.0 * _A3 * t6 + 3.0 * _A2 * t2 + _A1)
    )
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x * SCALE, -y * SCALE


def project_many(longitudes: Sequence[float], latitudes: Sequence[float]) -> tuple[list[float], list[float]]:
    """``project`` over columns of positions: the same numbers, without a call per point."""
    asin, sin, cos, radians = math.asin, math.sin, math.cos, math.radians
    a1, a2, a3, a4, m, scale = _A1, _A2, _A3, _A4, _M, SCALE
    factor = 2.0 * math.sqrt(3.0) / 3.0
    xs, ys = [], []
    for longitude, latitude in zip(longitudes, latitudes, strict=True):
        theta = asin(m * sin(radians(latitude)))
        t2 = theta * theta
        t6 = t2 * t2 * t2
        slope = 9.0 * a4 * t6 * t2 + 7.0 * a3 * t6 + 3.0 * a2 * t2 + a1
        xs.append(factor * radians(longitude) * cos(theta) / slope * scale)
        ys.append(-theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1) * scale)
    return xs, ys


def unproject(x: float, y: float) -> tuple[float, float] | None:
    """(longitude, latitude) in degrees for a point of the plane; None outside the world's outline."""
    ex, ey = x / SCALE, -y / SCALE
    if abs(ey) > _Y_MAX:
        return None
    theta = ey / _A1
    for _step in range(12):  # Newton's method; converges in 4-5 steps everywhere
        t2 = theta * theta
        t6 = t2 * t2 * t2
        f = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1) - ey
        derivative = 9.0 * _A4 * t6 * t2 + 7.0 * _A3 * t6 + 3.0 * _A2 * t2 + _A1
        change = f / derivative
        theta -= change
        if abs(change) < 1e-12:
            break
    t2 = theta * theta
    t6 = t2 * t2 * t2
    derivative = 9.0 * _A4 * t6 * t2 + 7.0 * _A3 * t6 + 3.0 * _A2 * t2 + _A1
    longitude = math.degrees(3.0 * ex * derivative / (2.0 * math.sqrt(3.0) * math.cos(theta)))
    latitude = math.degrees(math.asin(max(-1.0, min(1.0, math.sin(theta) / _M))))
    if abs(longitude) > 180.0 + 1e-9:
        return None
    return longitude, latitude


def outline(steps: int = 90) -> list[tuple[float, float]]:
    """The world's edge in the plane (the ±180° meridians), for the sea's fill and a frame."""
    east = [project(180.0, 90.0 - 180.0 * index / steps) for index in range(steps + 1)]
    west = [project(-180.0, -90.0 + 180.0 * index / steps) for index in range(steps + 1)]
    return east + west
