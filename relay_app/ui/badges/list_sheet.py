"""The desk's lists as PDF: a table on A4 pages, headers repeated, a box to tick on attendance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from relay_app.formatting import format_datetime
from relay_app.i18n import _
from relay_app.services.desk_lists import ListTable
from relay_app.ui.badges.pdf_pages import document_font, page_size_mm, pdf_pages, px

Progress = Callable[[int, int], None]
MARGIN = 12.0  # mm
ROW_HEIGHT = 7.5
HEADER_HEIGHT = 18.0
FOOTER_HEIGHT = 8.0
TEXT_SIZE = 8.5  # points
PADDING = 1.2
TICK_WIDTH = 16.0


def render_list(path: Path, table: ListTable, progress: Progress | None = None) -> int:
    """Write ``table`` to ``path`` as PDF; returns the rows written."""
    landscape = len(table.headers) > 7
    page = page_size_mm(landscape=landscape)
    usable_width = page.width() - 2 * MARGIN
    per_page = max(1, int((page.height() - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT) // ROW_HEIGHT) - 1)
    pages_count = max(1, -(-len(table.rows) // per_page))
    printed = format_datetime(datetime.now().astimezone(), "short")
    with pdf_pages(path, f"{table.title} — {table.forum}", landscape=landscape) as pages:
        painter = pages.painter
        widths = _column_widths(painter, table, usable_width)
        for number in range(pages_count):
            if number:
                pages.new_page()
            rows = table.rows[number * per_page:(number + 1) * per_page]
            _draw_heading(painter, table, printed, usable_width)
            top = MARGIN + HEADER_HEIGHT
            _draw_row(painter, table.headers, widths, top, bold=True, tick=False)
            for index, row in enumerate(rows):
                _draw_row(painter, row, widths, top + (index + 1) * ROW_HEIGHT, bold=False,
                          tick=table.tick_column)
                if progress is not None:
                    progress(number * per_page + index + 1, len(table.rows))
            painter.setFont(document_font(7.5))
            painter.drawText(
                QRectF(px(MARGIN), px(page.height() - MARGIN - FOOTER_HEIGHT), px(usable_width),
                       px(FOOTER_HEIGHT)),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                _("Page {page} of {pages}").format(page=number + 1, pages=pages_count),
            )
    return len(table.rows)


def _draw_heading(painter: QPainter, table: ListTable, printed: str, width: float) -> None:
    painter.setPen(QColor("black"))
    painter.setFont(document_font(13, bold=True))
    painter.drawText(QRectF(px(MARGIN), px(MARGIN), px(width), px(8)),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), table.title)
    painter.setFont(document_font(9))
    subtitle = _("{forum} · printed {time} · {count} rows").format(
        forum=table.forum, time=printed, count=len(table.rows)
    )
    painter.drawText(QRectF(px(MARGIN), px(MARGIN + 8), px(width), px(6)),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), subtitle)


def _column_widths(painter: QPainter, table: ListTable, width: float) -> list[float]:
    """Widths in mm, shared in proportion to each column's widest text (header or cell)."""
    metrics = QFontMetricsF(document_font(TEXT_SIZE), painter.device())
    columns = len(table.headers) - (1 if table.tick_column else 0)
    wanted = []
    for column in range(columns):
        texts = [table.headers[column], *(row[column] for row in table.rows[:500])]
        widest = max(metrics.horizontalAdvance(text) for text in texts) / px(1) + 2 * PADDING
        wanted.append(min(max(widest, 14.0), 45.0))  # a long column elides, the others stay readable
    available = width - (TICK_WIDTH if table.tick_column else 0)
    scale = available / sum(wanted)
    widths = [share * scale for share in wanted]
    return [*widths, TICK_WIDTH] if table.tick_column else widths


def _draw_row(
    painter: QPainter, cells: tuple[str, ...], widths: list[float], top: float, *, bold: bool, tick: bool
) -> None:
    font = document_font(TEXT_SIZE, bold=bold)
    painter.setFont(font)
    metrics = QFontMetricsF(font, painter.device())
    pen = QPen(QColor(140, 140, 140))
    pen.setWidthF(px(0.15))
    x = MARGIN
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        box = QRectF(px(x), px(top), px(width), px(ROW_HEIGHT))
        painter.setPen(pen)
        painter.drawRect(box)
        last = index == len(cells) - 1
        if tick and last:
            side = px(4.5)
            painter.setPen(QPen(QColor("black"), px(0.3)))
            painter.drawRect(QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side))
        else:
            painter.setPen(QColor("black"))
            inner = box.adjusted(px(PADDING), 0, -px(PADDING), 0)
            text = metrics.elidedText(cell, Qt.TextElideMode.ElideRight, inner.width())
            painter.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        x += width
