"""The window's layout on small and scaled screens: minimum size, editors, errors, list headers.

Every test uses the real main window (offscreen) with every page shown and every editor opened
once, as a day's work would, since a page or editor seen once may keep its minimum size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import VIEWS, MainWindow
from tests.ui.person import activate, type_keys

EDITED_KINDS = ("partners", "practices", "forums", "registrations")
# Height a title bar and a task bar take from the screen, in device pixels.
SCREEN_FURNITURE = 80


def open_every_page_and_editor(window: MainWindow) -> None:
    for name, _label in VIEWS:
        window.show_view(name)
        QApplication.processEvents()
    for _kind, _editor in editors(window):
        pass
    window.show_view("forums")
    window.forums_page.setCurrentWidget(window.forums_page.desk)
    QApplication.processEvents()


def editors(window: MainWindow) -> Iterator[tuple[str, RecordEditor]]:
    for kind in EDITED_KINDS:
        panel = window.panels[kind]
        window.show_view("forums" if kind in ("forums", "registrations") else kind)
        if kind in ("forums", "registrations"):
            window.forums_page.setCurrentWidget(panel)
        panel.new_record()
        QApplication.processEvents()
        yield kind, panel.editor


@pytest.mark.parametrize(
    ("scale", "screen"),
    [(1.0, QSize(1280, 720)), (1.25, QSize(1366, 768)), (1.75, QSize(1600, 1000))],
)
def test_the_window_can_shrink_to_fit_small_and_scaled_screens(
    window: MainWindow, scale: float, screen: QSize
) -> None:
    """Every page and editor opened once, then the minimum size, in device pixels at ``scale``.

    Qt lays a window out in logical pixels, the same at any QT_SCALE_FACTOR (fonts are sized in
    points), so the minimum on a scaled screen is the logical minimum times the scale. A title
    bar and a task bar take their part of the screen's height.
    """
    open_every_page_and_editor(window)
    for minimum in (window.minimumSizeHint(), window.minimumSize()):
        assert minimum.width() * scale <= screen.width(), (minimum, scale)
        assert minimum.height() * scale <= screen.height() - SCREEN_FURNITURE, (minimum, scale)
    window.resize(1200, 760)
    QApplication.processEvents()
    assert window.size() == QSize(1200, 760)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_editors_never_scroll_sideways_at_1200_by_760(
    window: MainWindow, qtbot: QtBot, language: str
) -> None:
    """The practice editor (its steps' buttons were cut) and the others, at 1200×760, with a
    record open, in English and in French (longer words)."""
    window.switch_language(language)
    try:
        open_every_page_and_editor(window)
        window.resize(1200, 760)
        for kind, editor in editors(window):
            qtbot.waitUntil(lambda editor=editor: editor.scroll.viewport().width() > 0)
            bar = editor.scroll.horizontalScrollBar()
            assert not bar.isVisible() and bar.maximum() == 0, (kind, language, bar.maximum())
            buttons = editor.rows["tutorial_steps"].input.steps if kind == "practices" else None
            if buttons is not None:
                viewport = editor.scroll.viewport()
                for button in (buttons.remove_button, buttons.up_button, buttons.down_button):
                    right = button.mapTo(viewport, QPoint(button.width(), 0)).x()
                    assert right <= viewport.width(), (button.text(), right, viewport.width())
    finally:
        window.switch_language("en")


def test_an_inline_error_does_not_move_the_fields_below(window: MainWindow, qtbot: QtBot) -> None:
    """Letters typed in a practice's "SOC before" (a number) show an error under it; the next
    field's row stays where it was."""
    window.resize(1200, 760)
    panel = window.panels["practices"]
    window.show_view("practices")
    panel.new_record()
    editor = panel.editor
    host = editor.scroll.widget()
    activate(window, qtbot)
    number = editor.rows["soc_before_t_ha"].input.focus
    following = editor.rows["soc_after_t_ha"].input.widget
    QApplication.processEvents()
    before = following.mapTo(host, QPoint(0, 0)).y()
    number.setFocus()
    type_keys("abc")
    qtbot.waitUntil(lambda: bool(editor.error_text("soc_before_t_ha")))
    QApplication.processEvents()
    assert editor.rows["soc_before_t_ha"].error.isVisible()
    assert following.mapTo(host, QPoint(0, 0)).y() == before


def test_list_headers_elide_at_the_end_with_the_whole_label_as_tooltip(window: MainWindow) -> None:
    """Narrow columns cut their header ("ractice categor"); now "Practice categ…" and the tooltip."""
    for kind in EDITED_KINDS:
        panel = window.panels[kind]
        header = panel.table.horizontalHeader()
        assert header.textElideMode() == Qt.TextElideMode.ElideRight, kind
        for section in range(panel.model.columnCount()):
            label = panel.model.headerData(section, Qt.Orientation.Horizontal)
            tooltip = panel.model.headerData(
                section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
            )
            assert label and tooltip == label, (kind, section)
