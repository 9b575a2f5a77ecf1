"""Sheets of name badges as PDF: the name shrunk to fit, organisation, country, role, forum, QR."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from relay_app.i18n import _
from relay_app.services.badges import Badge, SheetLayout, badge_areas, qr_modules
from relay_app.ui.badges.pdf_pages import document_font, pdf_pages, px, rect

Progress = Callable[[int, int], None]
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
NAME_LARGEST = 26.0  # points
NAME_SMALLEST = 9.0
TEXT_FLAGS = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap


def render_badges(
    path: Path, badges: Sequence[Badge], layout: SheetLayout, progress: Progress | None = None
) -> int:
    """Write ``badges`` onto ``layout`` sheets in ``path``; returns how many were drawn."""
    title = _("Badges: {forum}").format(forum=badges[0].forum if badges else "")
    with pdf_pages(path, title) as pages:
        painter = pages.painter
        for index, badge in enumerate(badges):
            if index and index % layout.per_page == 0:
                pages.new_page()
            area = layout.label(index)
            if layout.cut_marks:
                _draw_cut_lines(painter, rect(area))
            draw_badge(painter, badge, area.x, area.y, area.width, area.height)
            if progress is not None:
                progress(index + 1, len(badges))
    return len(badges)


def draw_badge(painter: QPainter, badge: Badge, x: float, y: float, width: float, height: float) -> None:
    areas = badge_areas(width, height)
    painter.setPen(QColor("black"))
    _fit_text(painter, badge.forum, rect(areas.forum, x, y), 9.0, 6.0, bold=False,
              flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
    _fit_text(painter, badge.name, rect(areas.name, x, y), NAME_LARGEST, NAME_SMALLEST, bold=True)
    _fit_text(painter, badge.organisation, rect(areas.organisation, x, y), 12.0, 7.0, bold=False,
              flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    details = " · ".join(part for part in (badge.country, badge.role) if part)
    _fit_text(painter, details, rect(areas.details, x, y), 10.0, 6.0, bold=False,
              flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
    draw_qr(painter, badge.payload, rect(areas.qr, x, y))
    _fit_text(painter, badge.payload, rect(areas.code, x, y), 6.5, 4.5, bold=False,
              flags=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)


def draw_qr(painter: QPainter, payload: str, square: QRectF) -> None:
    """The code as filled rectangles (one per run of dark modules): vector, crisp at any scale."""
    modules = qr_modules(payload)
    size = len(modules) + 2 * QUIET_ZONE
    module = min(square.width(), square.height()) / size
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for row_index, row in enumerate(modules):
        start: int | None = None
        for column, dark in enumerate([*row, False]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                painter.drawRect(QRectF(
                    square.x() + (QUIET_ZONE + start) * module,
                    square.y() + (QUIET_ZONE + row_index) * module,
                    (column - start) * module,
                    module,
                ))
                start = None
    painter.restore()


def _fit_text(
    painter: QPainter,
    text: str,
    area: QRectF,
    largest: float,
    smallest: float,
    *,
    bold: bool,
    flags: Qt.AlignmentFlag | Qt.TextFlag = TEXT_FLAGS,
) -> None:
    """Draw ``text`` at the largest size (down to ``smallest`` points) whose wrapped lines fit."""
    if not text:
        return
    size = largest
    while True:
        painter.setFont(document_font(size, bold=bold))
        needed = painter.boundingRect(area, int(flags), text)
        if (needed.width() <= area.width() + 0.5 and needed.height() <= area.height() + 0.5) \
                or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    painter.drawText(area, int(flags), text)


def _draw_cut_lines(painter: QPainter, area: QRectF) -> None:
    painter.save()
    pen = QPen(QColor(170, 170, 170))
    pen.setWidthF(px(0.15))
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(area)
    painter.restore()
