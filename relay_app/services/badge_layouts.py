"""Where badges sit on a sheet of labels and where each part of a badge goes, in millimetres.

Kept apart from ``badges`` (which reads the store) so the command line can list the layouts
without loading the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from relay_app.i18n import N_, _

# -- sheets of labels (millimetres, origin at the page's top left) ---------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class SheetLayout:
    """A sheet of ``columns`` x ``rows`` labels, all in millimetres."""

    key: str
    title: str  # lazily translated (N_)
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0
    cut_marks: bool = False  # plain paper: show where to cut

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def label(self, index: int) -> Rect:
        """Where the ``index``-th label of a page sits, row by row."""
        row, column = divmod(index % self.per_page, self.columns)
        return Rect(
            self.left + column * (self.label_width + self.gap_x),
            self.top + row * (self.label_height + self.gap_y),
            self.label_width,
            self.label_height,
        )

    def pages(self, count: int) -> int:
        return max(1, -(-count // self.per_page))


A4 = (210.0, 297.0)
SHEET_LAYOUTS: dict[str, SheetLayout] = {
    layout.key: layout
    for layout in (
        # Avery L7418 and its equivalents: 10 name-badge labels of 86 x 55 mm.
        SheetLayout("a4-2x5-86x55", N_("A4, 10 labels of 86 × 55 mm (2 × 5, e.g. Avery L7418)"),
                    *A4, columns=2, rows=5, label_width=86, label_height=55, left=19, top=11),
        # Avery L7165 and its equivalents: 8 labels of 99.1 x 67.7 mm.
        SheetLayout("a4-2x4-99x68", N_("A4, 8 labels of 99.1 × 67.7 mm (2 × 4, e.g. Avery L7165)"),
                    *A4, columns=2, rows=4, label_width=99.1, label_height=67.7, left=4.65,
                    top=13.1, gap_x=2.5),
        # Plain paper cut to the insert size of the usual badge holders.
        SheetLayout("a4-paper-90x54", N_("A4 paper, 10 badges of 90 × 54 mm to cut out"),
                    *A4, columns=2, rows=5, label_width=90, label_height=54, left=15, top=13.5,
                    cut_marks=True),
    )
}
DEFAULT_LAYOUT = "a4-2x5-86x55"


@dataclass(frozen=True)
class BadgeAreas:
    """Where each part of a badge goes, relative to the label's top left corner."""

    forum: Rect
    name: Rect
    organisation: Rect
    details: Rect  # country and role
    qr: Rect  # a square, quiet zone included
    code: Rect  # the payload in letters, for typing when a scanner fails


def badge_areas(width: float, height: float) -> BadgeAreas:
    """The badge's parts for a label of ``width`` x ``height`` mm (any common badge size)."""
    padding = 3.0
    inner_width = width - 2 * padding
    forum_height = height * 0.15
    qr_side = min(height * 0.42, inner_width * 0.3)
    code_height = 3.5
    bottom = height - padding
    qr = Rect(width - padding - qr_side, bottom - code_height - qr_side, qr_side, qr_side)
    name_top = padding + forum_height + 1.0
    name_height = height * 0.30
    text_width = inner_width - qr_side - 2.0
    organisation_top = name_top + name_height + 0.5
    details_height = 5.0
    return BadgeAreas(
        forum=Rect(padding, padding, inner_width, forum_height),
        name=Rect(padding, name_top, inner_width, name_height),
        organisation=Rect(padding, organisation_top, text_width,
                          bottom - details_height - organisation_top),
        details=Rect(padding, bottom - details_height, text_width, details_height),
        qr=qr,
        code=Rect(qr.x - 2.0, bottom - code_height, qr.width + 2.0, code_height),
    )


def layout_titles() -> list[tuple[str, str]]:
    return [(key, _(layout.title)) for key, layout in SHEET_LAYOUTS.items()]
