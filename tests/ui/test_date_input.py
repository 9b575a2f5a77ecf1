"""Dates are typed (ISO or the locale's short date) or picked from a calendar; empty stays empty.

A new forum is started in the shown main window with Ctrl+N and its dates are typed key by key,
left with Tab, or picked with the calendar opened by Alt+Down, as a person would.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget
from pytestqt.qtbot import QtBot

from relay_app.i18n import set_language
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow
from tests.ui.person import activate, key_target, press, type_keys

Key = Qt.Key


def _new_forum(window: MainWindow, qtbot: QtBot) -> RecordEditor:
    window.show_view("forums")
    activate(window, qtbot)
    press(Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    panel = window.panels["forums"]
    assert panel.is_editing()
    return panel.editor


def _open_calendar(qtbot: QtBot) -> QCalendarWidget:
    press(Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    popup = QApplication.activePopupWidget()
    calendar = popup if isinstance(popup, QCalendarWidget) else popup.findChild(QCalendarWidget)
    assert calendar is not None
    return calendar


def test_an_iso_date_typed_key_by_key_is_that_date_and_tab_leaves_the_box(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _new_forum(window, qtbot)
    start = editor.field_input("start_date")
    start.focus.setFocus(Qt.FocusReason.MouseFocusReason)
    type_keys("2026-11-29")
    assert start.raw() == "2026-11-29"
    assert editor.error_text("start_date") == ""
    press(Key.Key_Tab)
    assert key_target() is editor.field_input("end_date").focus
    assert start.raw() == "2026-11-29"


@pytest.mark.parametrize(("language", "typed"), [("en", "11/29/26"), ("fr", "29/11/2026")])
def test_the_locales_short_date_is_understood_and_shown_back_in_iso(
    window: MainWindow, qtbot: QtBot, language: str, typed: str
) -> None:
    set_language(language)
    editor = _new_forum(window, qtbot)
    start = editor.field_input("start_date")
    start.focus.setFocus(Qt.FocusReason.MouseFocusReason)
    type_keys(typed)
    assert start.raw() == "2026-11-29"
    press(Key.Key_Tab)
    assert start.edit.text() == "2026-11-29"  # type: ignore[attr-defined]  # what was understood


def test_letters_are_not_typed_into_a_date_and_an_untouched_date_stays_empty(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _new_forum(window, qtbot)
    start = editor.field_input("start_date")
    start.focus.setFocus(Qt.FocusReason.MouseFocusReason)
    type_keys("soon")
    press(Key.Key_Tab)
    press(Key.Key_Tab)
    assert start.raw() is None
    assert editor.field_input("end_date").raw() is None
    assert not editor.is_dirty()
    assert editor.values_to_save()["start_date"] is None


def test_the_calendar_opens_at_today_then_at_the_forums_other_date_and_enter_picks(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = _new_forum(window, qtbot)
    start, end = editor.field_input("start_date"), editor.field_input("end_date")
    start.focus.setFocus(Qt.FocusReason.MouseFocusReason)
    calendar = _open_calendar(qtbot)
    assert calendar.selectedDate() == QDate.currentDate()
    press(Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert start.raw() is None  # closing the calendar chose nothing
    type_keys("2026-11-29")
    press(Key.Key_Tab)
    assert key_target() is end.focus
    calendar = _open_calendar(qtbot)
    assert calendar.selectedDate() == QDate(2026, 11, 29)
    press(Key.Key_Right)
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert end.raw() == date(2026, 11, 30).isoformat()
    assert key_target() is end.focus
    assert window.panels["forums"].is_editing()
