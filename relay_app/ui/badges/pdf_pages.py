"""One place that opens a PDF for the desk's documents: Qt's writer, A4, millimetres to pixels.

Qt shapes text with HarfBuzz and embeds the fonts it used, so Arabic, Devanagari or accented
Latin names come out as they are written, as long as a font on the machine has their glyphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from relay_app.i18n import _
from relay_app.private_files import create_private_file, private_file
from relay_app.services.badges import Rect

RESOLUTION = 600  # dots per inch: QR modules stay crisp at any print size
MM_PER_INCH = 25.4


def px(millimetres: float) -> float:
    return millimetres * RESOLUTION / MM_PER_INCH


def rect(area: Rect, origin_x: float = 0.0, origin_y: float = 0.0) -> QRectF:
    return QRectF(px(origin_x + area.x), px(origin_y + area.y), px(area.width), px(area.height))


def document_font(point_size: float, *, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")  # falls back per script to any font that has the glyphs
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


class PdfPages:
    """A painter over a new PDF file; ``new_page()`` between pages."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter

    def new_page(self) -> None:
        self.writer.newPage()


@contextmanager
def pdf_pages(path: Path, title: str, *, landscape: bool = False) -> Iterator[PdfPages]:
    """Write ``path`` (private from its first byte: it holds names) with zero page margins."""
    create_private_file(path)
    private_file(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(_("Relay"))
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(_("{file}: the PDF cannot be written.").format(file=path.name))
    try:
        yield PdfPages(writer, painter)
    finally:
        painter.end()


def page_size_mm(*, landscape: bool = False) -> QSizeF:
    size = QPageSize(QPageSize.PageSizeId.A4).size(QPageSize.Unit.Millimeter)
    return size.transposed() if landscape else size
