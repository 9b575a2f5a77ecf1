"""No text the window shows, in French, names a command line or a developer's term."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from relay_app.i18n import set_language
from relay_app.services import Services
from relay_app.ui.about import AboutDialog
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.sync.conftest import Relay
from tests.sync.records import partner
from tests.ui.conftest import type_text
from tests.ui.sync.conftest import press_sync_now

# A command to type ("relay-app conflicts list") or a term only developers use.
FORBIDDEN = ("relay-app ", "UUID")
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
MOST_ROWS = 200  # enough for every row these views hold here


def _model_texts(model: QAbstractItemModel) -> list[str]:
    texts = []
    # A list model's column count is not reachable from Python: it has one.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(min(model.rowCount(QModelIndex()), MOST_ROWS)):
        for column in range(columns):
            for role in ROLES:
                value = model.data(model.index(row, column), role)
                if isinstance(value, str):
                    texts.append(value)
    for column in range(columns):
        header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(header, str):
            texts.append(header)
    return texts


def _widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every text of ``root`` and its children a person can read or hear, shown or not yet shown."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = type(widget).__name__
        found.extend((f"{where} tooltip", text) for text in (widget.toolTip(), widget.accessibleName()))
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((where, widget.text()))
        elif isinstance(widget, QLineEdit):
            found.extend([(where, widget.text()), (where, widget.placeholderText())])
        elif isinstance(widget, QComboBox):
            found.extend((where, widget.itemText(index)) for index in range(widget.count()))
        elif isinstance(widget, QGroupBox):
            found.append((where, widget.title()))
        elif isinstance(widget, QTabWidget):
            found.extend((where, widget.tabText(index)) for index in range(widget.count()))
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            found.append((where, widget.toPlainText()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found.extend((f"{where} cell", text) for text in _model_texts(widget.model()))
    return found


def _window_texts(window: MainWindow) -> list[tuple[str, str]]:
    texts = _widget_texts(window)
    texts.append(("title", window.windowTitle()))
    for action in window.actions.actions.values():
        texts.extend([("action", action.text()), ("action tip", action.toolTip())])
    for action in window.sync_page.actions():
        texts.extend([("action", action.text()), ("action tip", action.toolTip())])
    for row in range(window.navigation.count()):
        item = window.navigation.item(row)
        texts.extend([("navigation", item.text()), ("navigation tip", item.toolTip())])
    return texts


def test_no_text_of_the_main_views_names_a_command_or_a_developer_term_in_french(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    """The window is brought to where such words used to appear: a sync that left a conflict (its
    summary, its history row), a refused change in the outbox, a practice whose partner was typed
    but not picked. Then, in French, every view is opened with its shortcut (Ctrl+1 to Ctrl+6),
    each Sync tab in turn, and About is opened: no label, button, tooltip, table cell, list item,
    navigation item or message box says "relay-app …" or "UUID"."""
    window = enrolled_window
    record_id = services.records("partners").create(partner(1)).id
    assert press_sync_now(qtbot, window).in_sync
    other = make_relay("other")
    assert other.sync().in_sync
    other.services.records("partners").update(record_id, {"city": "Sète"})
    assert other.sync().in_sync
    services.records("partners").update(record_id, {"city": "Nîmes"})
    # Outside the relay's regions: the server refuses it, and the outbox keeps its reason.
    services.records("partners").create(partner(2, country="JP", region="eastern_asia"))
    clashed = press_sync_now(qtbot, window)
    assert clashed.conflicts == 1 and clashed.rejected == 1

    window.show_view("practices")
    practices = window.panels["practices"]
    practices.editor.refresh_references()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    partner_box = practices.editor.field_input("partner_id").focus
    qtbot.mouseClick(partner_box, Qt.MouseButton.LeftButton)
    type_text(qtbot, partner_box, "Institut")
    assert practices.editor.error_text("partner_id")
    services.records("forums").create(factories.forum())

    set_language("fr")
    try:
        texts: list[tuple[str, str]] = []
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_6, Qt.Key.Key_5):
            qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
            texts.extend(_window_texts(window))
        tabs = window.sync_page.tabs
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            texts.extend(_window_texts(window))
        window.actions["about"].trigger()
        qtbot.waitUntil(lambda: bool(window.findChildren(AboutDialog)))
        about = window.findChildren(AboutDialog)[0]
        texts.extend(("About", text) for _where, text in _widget_texts(about))
        assert any("Relay" in text for _where, text in texts if _where == "About")
        about.close()
    finally:
        set_language("en")

    assert any("conflit" in text for _where, text in texts)  # the French texts were read
    assert any("Institut" in text for _where, text in texts)  # the editor's message was read
    problems = sorted({(where, text) for where, text in texts if any(w in text for w in FORBIDDEN)})
    assert problems == [], "\n".join(f"{where}: {text}" for where, text in problems)
