"""The desk's keyboard: Enter or Space checks in, Ctrl+Z undoes, typing in the list searches.

The desk is worked at a door with one hand on the keyboard, so its keys win over the window's
shortcuts of the same keys (Ctrl+Z, Ctrl+N…) while the search box, the list or the forum chooser
has the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

if TYPE_CHECKING:
    from relay_app.ui.checkin.desk import CheckInDesk


class DeskKeys(QObject):
    """An event filter on the desk's search box, list and forum chooser."""

    def __init__(self, desk: CheckInDesk) -> None:
        super().__init__(desk)
        self._desk = desk
        for widget in (desk.search, desk.table, desk.forum):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        keyed = kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if keyed and isinstance(event, QKeyEvent):
            action = self._key_action(watched, event)
            if action is not None:
                event.accept()  # a ShortcutOverride accepted keeps the window's shortcut away
                if kind == QEvent.Type.KeyPress:
                    action()
                return True
        return super().eventFilter(watched, event)

    def _key_action(self, watched: QObject, event: QKeyEvent) -> Callable[[], object] | None:
        desk = self._desk
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        control = Qt.KeyboardModifier.ControlModifier
        if modifiers == control:
            return {
                Qt.Key.Key_Z: desk.undo_last,
                Qt.Key.Key_N: desk.walk_in,
                Qt.Key.Key_E: desk.export_attendance,
                Qt.Key.Key_F: desk.focus_search,
            }.get(Qt.Key(key))
        if modifiers != Qt.KeyboardModifier.NoModifier or watched is desk.forum:
            return None
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if watched is desk.search and desk.participants.holds_badge_code():
                return desk.check_in_scanned
            return desk.check_in_selected
        if watched is desk.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            return lambda: desk.participants.move_selection(1 if key == Qt.Key.Key_Down else -1)
        if watched is desk.table:
            if key == Qt.Key.Key_Space:
                return desk.check_in_selected
            text = event.text()
            if event.type() == QEvent.Type.KeyPress and text.isprintable() and text.strip():
                # Typing while the list has focus goes on searching.
                return lambda: (desk.search.setFocus(), desk.search.insert(text))
        return None
