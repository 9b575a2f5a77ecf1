"""Help ▸ Keyboard shortcuts (F1): every shortcut of the window, read from its actions.

The sheet is generated, not kept by hand: it walks the menu bar (so it follows ``actions.SPECS``
and the actions pages add to the menus, such as Sync now) and then the window's other actions, and
lists each one that has a shortcut, under its menu's name. Key names come from Qt in the current
language ("Suppr" in French).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from relay_app.i18n import _
from relay_app.ui.language import language_signal

Section = tuple[str, list[tuple[str, str]]]  # a menu's name, and (action, keys) rows


def plain(text: str) -> str:
    """A menu text without its mnemonic marks (``&Save`` is Save, ``&&`` is &)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_of(action: QAction) -> str:
    return ", ".join(
        sequence.toString(QKeySequence.SequenceFormat.NativeText)
        for sequence in action.shortcuts()
        if not sequence.isEmpty()
    )


def shortcut_sections(window: QMainWindow) -> list[Section]:
    """The window's shortcuts, menu by menu, then those of actions in no menu."""
    sections: list[Section] = []
    listed: set[QAction] = set()
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if menu is None:
            continue
        rows = []
        for action in menu.actions():
            listed.add(action)
            if keys_of(action) and not action.isSeparator():
                rows.append((plain(action.text()), keys_of(action)))
        if rows:
            sections.append((plain(menu.title()), rows))
    others = [
        (plain(action.text()), keys_of(action))
        for action in QWidget.actions(window)  # MainWindow's ``actions`` is its WindowActions
        if action not in listed and keys_of(action) and action.text()
    ]
    if others:
        sections.append((_("Other"), others))
    return sections


class ShortcutsSheet(QDialog):
    """The shortcuts of ``window``, rebuilt on each language switch."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self._window = window
        self.setMinimumSize(520, 560)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def rows(self) -> list[tuple[str, str]]:
        """Every (action, keys) pair shown, for tests and for reading aloud."""
        found = []
        for top in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(top)
            for child in range(section.childCount()):
                item = section.child(child)
                found.append((item.text(0), item.text(1)))
        return found

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.intro.setText(_("The window's keyboard shortcuts, menu by menu."))
        self.tree.setHeaderLabels([_("Action"), _("Keys")])
        self.tree.setAccessibleName(_("Keyboard shortcuts"))
        self.tree.clear()
        for title, rows in shortcut_sections(self._window):
            section = QTreeWidgetItem([title])
            font = section.font(0)
            font.setBold(True)
            section.setFont(0, font)
            self.tree.addTopLevelItem(section)
            for text, keys in rows:
                section.addChild(QTreeWidgetItem([text, keys]))
        self.tree.expandAll()


def show_shortcuts(window: QMainWindow) -> ShortcutsSheet:
    """Open the sheet beside the window (it may stay open while working); F1 again raises it."""
    sheet = window.findChild(ShortcutsSheet)
    if sheet is None:
        sheet = ShortcutsSheet(window)
    sheet.show()
    sheet.raise_()
    sheet.activateWindow()
    return sheet
