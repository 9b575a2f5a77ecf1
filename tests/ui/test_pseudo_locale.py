"""Under the pseudo-locale every text of the window is marked: no string escaped translation."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from relay_app.config import Paths
from relay_app.i18n import PSEUDO_START, set_language
from relay_app.ui.main_window import MainWindow


def _unmarked(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, text) for where, text in texts if text.strip() and PSEUDO_START not in text]


def _texts(widget: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for label in widget.findChildren(QLabel):
        if label.pixmap() is None or label.pixmap().isNull():
            found.append((label.objectName() or "label", label.text()))
    for button in widget.findChildren(QAbstractButton):
        found.append(("button", button.text()))
        found.append(("tooltip", button.toolTip()))
    for edit in widget.findChildren(QLineEdit):
        found.append(("placeholder", edit.placeholderText()))
    for child in widget.findChildren(QWidget):
        found.append(("accessible name", child.accessibleName()))
    return found


def test_every_visible_text_goes_through_the_catalog(window: MainWindow, paths: Paths) -> None:
    for panel in window.panels.values():
        panel.new_record()  # editors show their labels, buttons and the 4 per 1000 line
    set_language("x-pseudo")
    try:
        texts = _texts(window)
        texts.append(("title", window.windowTitle()))
        for action in window.actions.actions.values():
            texts.extend([("action", action.text()), ("action tip", action.toolTip())])
        for menu in window.actions.menus.values():
            texts.append(("menu", menu.title()))
        for row in range(window.navigation.count()):
            texts.append(("navigation", window.navigation.item(row).text()))
        # Language names are written in their own language; Qt's scroll buttons speak through
        # Qt's own catalogs, which have no pseudo-locale.
        # The data folder's path (Settings) is data, not a message.
        ignored = {"English", "Français", "Español", "Scroll Left", "Scroll Right", str(paths.data_dir)}
        problems = [(where, text) for where, text in _unmarked(texts) if text not in ignored]
        assert problems == [], "\n".join(f"{where}: {text}" for where, text in problems)
        assert len(texts) > 300
    finally:
        set_language("en")
