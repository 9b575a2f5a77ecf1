"""How the map looks, in one place: the window's view and the PNG/SVG exports paint with these.

Shapes are in the plane of ``relay_app.geo.projection``; markers and the legend are drawn in
device pixels, so a marker keeps its size at every zoom.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt, QThreadPool
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from relay_app.formatting import format_integer
from relay_app.geo.clustering import Cluster
from relay_app.geo.palette import OTHER, LegendEntry
from relay_app.geo.projection import outline
from relay_app.geo.world import Country, load_world
from relay_app.i18n import current_language

SEA = QColor("#DCEBF5")
LAND = QColor("#F4F1E8")
BORDER = QColor("#A7A29A")
MARKER_EDGE = QColor("#FFFFFF")
HIGHLIGHT = QColor("#111111")
NAME_COLOUR = QColor("#7A746A")
NAME_MIN_PX = 40  # a country narrower than this on screen is not named
SINGLE_RADIUS = 6.0


@cache
def sea_path() -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in outline()]))
    path.closeSubpath()
    return path


_paths_lock = threading.Lock()


def country_paths() -> tuple[tuple[QRectF, QPainterPath], ...]:
    """Each country's outline (holes by the odd-even rule) with its bounds, to draw only those
    in sight when the map is zoomed in. Made once, ahead of need by ``prepare_world`` on a
    worker; a caller arriving meanwhile waits for that one rather than making them twice."""
    with _paths_lock:
        return _country_paths()


def prepare_world() -> None:
    """Read and shape the world off the GUI thread (at start-up), so the map opens without it."""
    QThreadPool.globalInstance().start(country_paths)


@cache
def _country_paths() -> tuple[tuple[QRectF, QPainterPath], ...]:
    shapes = []
    for country in load_world().countries:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in country.plane_rings:
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in ring]))
            path.closeSubpath()
        left, top, right, bottom = country.bounds
        shapes.append((QRectF(left, top, right - left, bottom - top), path))
    return tuple(shapes)


def draw_world(painter: QPainter, exposed: QRectF | None = None) -> None:
    """Sea and land in the painter's current (plane) coordinates; borders a hairline wide.
    Only the countries meeting ``exposed`` (plane coordinates) are drawn when it is given."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillPath(sea_path(), SEA)
    painter.setPen(QPen(BORDER, 0))  # cosmetic: one pixel at every zoom
    painter.setBrush(LAND)
    for bounds, path in country_paths():
        if exposed is None or bounds.intersects(exposed):
            painter.drawPath(path)
    painter.restore()


def draw_country_names(painter: QPainter, exposed: QRectF | None = None) -> None:
    """The countries' names in the interface language, where they fit: a country narrower on
    screen than its name is left unnamed, and a name never covers a bigger country's."""
    transform = painter.worldTransform()
    scale = transform.m11()
    painter.save()
    painter.setWorldTransform(QTransform())
    font = QFont(painter.font())
    font.setPixelSize(11)
    painter.setFont(font)
    painter.setPen(NAME_COLOUR)
    metrics = QFontMetricsF(font)
    height = metrics.height()
    # A name whose point lies just outside the part being drawn may still reach into it.
    reach = exposed.adjusted(-150 / scale, -20 / scale, 150 / scale, 20 / scale) if exposed else None
    names = _names(current_language())
    taken: list[QRectF] = []
    for index, country in _largest_first():
        left, _top, right, _bottom = country.bounds
        width = (right - left) * scale
        if country.label is None or width < NAME_MIN_PX:
            continue
        point = QPointF(*country.label)
        if reach is not None and not reach.contains(point):
            continue
        name = names[index]
        text_width = metrics.horizontalAdvance(name)
        if text_width > width:
            continue
        centre = transform.map(point)
        box = QRectF(centre.x() - text_width / 2 - 2, centre.y() - height / 2, text_width + 4, height)
        if any(box.intersects(other) for other in taken):
            continue
        taken.append(box)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
    painter.restore()


@cache
def _largest_first() -> tuple[tuple[int, Country], ...]:
    def area(country: Country) -> float:
        left, top, right, bottom = country.bounds
        return (right - left) * (bottom - top)

    countries = load_world().countries
    return tuple(sorted(enumerate(countries), key=lambda item: -area(item[1])))


@cache
def _names(language: str) -> tuple[str, ...]:
    """Every country's name in ``language`` (the one in force when asked), made once."""
    return tuple(country.name() for country in load_world().countries)


def marker_radius(count: int) -> float:
    if count <= 1:
        return SINGLE_RADIUS
    return min(22.0, 9.0 + 2.6 * len(str(count)) + (count ** 0.5) / 6.0)


def draw_markers(painter: QPainter, clusters: Sequence[Cluster], to_device: QTransform,
                 colours: dict[str, str], highlighted: frozenset[str] = frozenset()) -> None:
    """Markers in device pixels at their plane positions mapped by ``to_device``."""
    painter.save()
    painter.setWorldTransform(QTransform())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont(painter.font())
    font.setPixelSize(11)
    font.setBold(True)
    painter.setFont(font)
    edge = QPen(MARKER_EDGE, 1.5)
    ring = QPen(HIGHLIGHT, 2.5)
    for cluster in clusters:
        centre = to_device.map(QPointF(cluster.x, cluster.y))
        radius = marker_radius(cluster.count)
        colour = QColor(colours.get(cluster.group, OTHER))
        painter.setPen(ring if highlighted and not highlighted.isdisjoint(cluster.ids) else edge)
        painter.setBrush(QBrush(colour))
        painter.drawEllipse(centre, radius, radius)
        if cluster.count > 1:
            painter.setPen(QColor("#FFFFFF"))
            box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, format_integer(cluster.count))
    painter.restore()


def legend_size(title: str, entries: Sequence[LegendEntry], notes: Sequence[str], font: QFont) -> QRectF:
    metrics = QFontMetricsF(font)
    line = metrics.height() + 4
    width = max([metrics.horizontalAdvance(entry.label) + 28 for entry in entries]
                + [metrics.horizontalAdvance(text) + 12 for text in (title, *notes)])
    return QRectF(0, 0, width + 12, line * (1 + len(entries) + len(notes)) + 12)


def draw_legend(painter: QPainter, origin: QPointF, title: str, entries: Sequence[LegendEntry],
                notes: Sequence[str]) -> QRectF:
    """A framed legend with its top-left corner at ``origin`` (device pixels); returns its box."""
    painter.save()
    painter.setWorldTransform(QTransform())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = painter.font()
    box = legend_size(title, entries, notes, font).translated(origin)
    metrics = QFontMetricsF(font)
    line = metrics.height() + 4
    painter.setPen(QPen(QColor("#BBBBBB"), 1))
    painter.setBrush(QColor(255, 255, 255, 235))
    painter.drawRoundedRect(box, 4, 4)
    x, y = box.left() + 8, box.top() + 6
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(QColor("#222222"))
    painter.drawText(QRectF(x, y, box.width() - 12, line), Qt.AlignmentFlag.AlignVCenter, title)
    painter.setFont(font)
    for entry in entries:
        y += line
        painter.setPen(QPen(MARKER_EDGE, 1))
        painter.setBrush(QColor(entry.colour))
        painter.drawEllipse(QPointF(x + 7, y + line / 2), SINGLE_RADIUS, SINGLE_RADIUS)
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(x + 20, y, box.width() - 28, line), Qt.AlignmentFlag.AlignVCenter,
                         entry.label)
    for text in notes:
        y += line
        painter.setPen(QColor("#555555"))
        painter.drawText(QRectF(x, y, box.width() - 12, line), Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()
    return box
