"""The window's layout on small and scaled screens: minimum size, editors, errors, list headers.

Every test uses the real main window (offscreen) with every page shown and every editor opened
once, as a day's work would, since a page or editor seen once may keep its minimum size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import VIEWS, MainWindow
from tests import factories
from tests.ui.person import activate, press, type_keys

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


def _accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def test_every_visible_control_of_each_editor_has_an_accessible_name(window: MainWindow) -> None:
    """Every widget a person can Tab to in each editor (inputs, filter boxes, calendar and file
    buttons, the steps' buttons) gives a screen reader a name."""
    window.resize(1200, 760)
    for kind, editor in editors(window):
        controls = [
            widget
            for widget in editor.findChildren(QWidget)
            if widget.isVisibleTo(editor)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None  # a choice's text box: the choice takes the focus
        ]
        assert len(controls) > 5, kind
        unnamed = [type(widget).__name__ for widget in controls if not _accessible_name(widget)]
        assert not unnamed, (kind, unnamed)


def _reading_position(editor: RecordEditor, widget: QWidget) -> tuple[int, int, int]:
    """Where a widget sits in the editor's text, scroll position left out: (y, bottom, x)."""
    host = editor.scroll.widget()
    if host.isAncestorOf(widget):
        top = widget.mapTo(host, QPoint(0, 0))
        return top.y(), top.y() + widget.height(), top.x()
    top = widget.mapTo(editor, QPoint(0, 0))
    below = host.height() + top.y()  # the buttons under the form
    return below, below + widget.height(), top.x()


def test_tab_follows_the_reading_order_of_each_editor(window: MainWindow, qtbot: QtBot) -> None:
    """Tab from the first field of each editor: each next stop is right of the previous one on
    the same line, or on a line below, until the focus leaves the editor after Save."""
    window.resize(1200, 760)
    activate(window, qtbot)
    for kind, editor in editors(window):
        QApplication.processEvents()
        first = next(iter(editor.rows.values())).input.focus
        first.setFocus()
        qtbot.waitUntil(first.hasFocus)
        previous, seen = first, [first]
        while True:
            press(Qt.Key.Key_Tab)
            current = QApplication.focusWidget()
            assert current is not None
            if not editor.isAncestorOf(current) or current in seen:
                break
            top, bottom, x = _reading_position(editor, current)
            p_top, p_bottom, p_x = _reading_position(editor, previous)
            same_line = top < p_bottom and p_top < bottom  # the two overlap vertically
            assert (x > p_x) if same_line else (top > p_top), (
                kind,
                type(previous).__name__,
                previous.accessibleName() or _accessible_name(previous),
                type(current).__name__,
                current.accessibleName() or _accessible_name(current),
            )
            previous = current
            seen.append(current)
        assert previous is editor.save_button, (kind, _accessible_name(previous))


def test_a_long_name_shows_its_start_in_a_narrow_editor(
    window: MainWindow, services: Services
) -> None:
    """A partner with a long name opened at 1200×760: its name box showed the end of the name."""
    name = "Institut de recherche pour la séquestration du carbone et la santé des sols"
    services.records("partners").create(factories.partner(name=name))
    window.resize(1200, 760)
    window.show_view("partners")
    panel = window.panels["partners"]
    panel.apply_query()
    panel.move_selection(1)
    panel.edit_selected()
    QApplication.processEvents()
    box = panel.editor.field_input("name").focus
    assert isinstance(box, QLineEdit)
    assert box.text() == name and box.width() < box.fontMetrics().horizontalAdvance(name)
    assert box.cursorPosition() == 0
