"""The map as a PNG or SVG file, at a chosen width, with its legend: for newsletters and reports.

The same painting as the window (``painting.py``), onto a QImage or a QSvgGenerator.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtSvg import QSvgGenerator

from relay_app.geo.clustering import level_for_scale
from relay_app.geo.content import MapContent
from relay_app.geo.projection import HALF_HEIGHT, HALF_WIDTH, PLANE_HEIGHT, PLANE_WIDTH
from relay_app.i18n import _
from relay_app.services.errors import ServiceError
from relay_app.ui.map.painting import draw_country_names, draw_legend, draw_markers, draw_world, legend_size

FORMATS = ("png", "svg")
MIN_WIDTH, MAX_WIDTH = 200, 10000
WHOLE_WORLD = QRectF(-HALF_WIDTH, -HALF_HEIGHT, PLANE_WIDTH, PLANE_HEIGHT)
MARGIN = 12


class ExportFailed(ServiceError):
    pass


def export_size(width: int, region: QRectF = WHOLE_WORLD) -> QSize:
    return QSize(width, max(1, round(width * region.height() / region.width())))


def export_map(path: Path, content: MapContent, width: int, region: QRectF | None = None) -> QSize:
    """Write the map of ``region`` (the whole world by default) to ``path``; its suffix chooses
    PNG or SVG. Returns the picture's size in pixels."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ExportFailed(_("A map is saved as .png or .svg, not {name}.").format(name=path.name))
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ExportFailed(_("The width must be between {low} and {high} pixels.").format(
            low=MIN_WIDTH, high=MAX_WIDTH))
    shown = region if region is not None and not region.isEmpty() else WHOLE_WORLD
    size = export_size(width, shown)
    if suffix == "png":
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        paint_map(painter, content, shown, size)
        painter.end()
        if not image.save(str(path), "PNG"):
            raise ExportFailed(_("Could not write {file}.").format(file=path))
        return size
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(content.legend_title())
    generator.setDescription(_("Made with Relay; borders from Natural Earth (public domain)."))
    painter = QPainter()
    if not painter.begin(generator):
        raise ExportFailed(_("Could not write {file}.").format(file=path))
    paint_map(painter, content, shown, size)
    painter.end()
    if not path.is_file():
        raise ExportFailed(_("Could not write {file}.").format(file=path))
    return size


def paint_map(painter: QPainter, content: MapContent, region: QRectF, size: QSize) -> None:
    scale = size.width() / region.width()
    to_device = QTransform().scale(scale, scale).translate(-region.left(), -region.top())
    painter.setClipRect(QRectF(0, 0, size.width(), size.height()))
    painter.setWorldTransform(to_device)
    draw_world(painter, region)
    draw_country_names(painter, region)
    level = level_for_scale(scale)
    clusters = content.index.visible(level, region.left(), region.top(), region.right(), region.bottom(),
                                     margin=30 / scale)
    draw_markers(painter, clusters, to_device, content.colours(), content.highlighted)
    notes = [text for text in (content.placed_text(), content.unplaced_text()) if text]
    entries = content.legend()
    font = painter.font()
    font.setPixelSize(max(10, min(16, round(size.width() / 90))))
    painter.setFont(font)
    box = legend_size(content.legend_title(), entries, notes, font)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    draw_legend(painter, QPointF(MARGIN, max(MARGIN, size.height() - box.height() - MARGIN)),
                content.legend_title(), entries, notes)
    painter.setWorldTransform(QTransform())
    painter.setPen(QColor("#777777"))
    small = painter.font()
    small.setPixelSize(max(8, font.pixelSize() - 3))
    painter.setFont(small)
    painter.drawText(QRectF(0, 0, size.width() - 4, size.height() - 2),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                     _("Borders: Natural Earth"))
