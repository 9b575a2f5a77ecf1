"""Keyboard shortcuts tied to a widget, made in one place so each gets the context asked for.

PySide6's ``QShortcut(keys, parent, slot, context=...)`` overload silently drops ``context``
and leaves ``WindowShortcut``: the list's Enter then fired in every field of the window
(replacing the editor with the selected record) and its F2 clashed with the menu's. Setting
the context after construction, here, is the only way widgets make shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def widget_shortcut(
    keys: str | Qt.Key | QKeySequence.StandardKey,
    widget: QWidget,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetShortcut,
) -> QShortcut:
    """A shortcut on ``widget`` active only in ``context`` (by default: while it has focus)."""
    shortcut = QShortcut(QKeySequence(keys), widget)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut
