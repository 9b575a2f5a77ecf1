"""The window's actions: menus and keyboard shortcuts for every frequent task, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from relay_app.i18n import N_, _
from relay_app.ui.icons import icon


@dataclass(frozen=True)
class ActionSpec:
    name: str
    menu: str
    text: str  # N_ msgid
    tip: str  # N_ msgid
    shortcut: QKeySequence.StandardKey | str | None = None
    icon: str | None = None


MENUS: dict[str, str] = {
    "file": N_("&File"),
    "edit": N_("&Edit"),
    "go": N_("&Go"),
    "help": N_("&Help"),
}

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "import",
        "file",
        N_("&Import records…"),
        N_("Import records from a CSV, XLSX or JSON file"),
        "Ctrl+I",
        "import",
    ),
    ActionSpec(
        "import_history",
        "file",
        N_("Import &history…"),
        N_("The imports made here; undo one (Ctrl+Shift+I)"),
        "Ctrl+Shift+I",
        None,
    ),
    ActionSpec(
        "export",
        "file",
        N_("&Export records…"),
        N_("Export the records of this list"),
        "Ctrl+E",
        "export",
    ),
    ActionSpec(
        "quit", "file", N_("&Quit"), N_("Close Relay"), QKeySequence.StandardKey.Quit, "quit"
    ),
    ActionSpec(
        "new", "edit", N_("&New record"), N_("Start a new record (Ctrl+N)"), "Ctrl+N", "new"
    ),
    ActionSpec(
        "edit", "edit", N_("E&dit record"), N_("Edit the selected record (Enter)"), "F2", None
    ),
    ActionSpec(
        "save", "edit", N_("&Save"), N_("Save the record being edited (Ctrl+S)"), "Ctrl+S", "save"
    ),
    ActionSpec(
        "delete",
        "edit",
        N_("&Delete record"),
        N_("Delete the selected record (Del)"),
        "Del",
        "delete",
    ),
    ActionSpec(
        "undo",
        "edit",
        N_("&Undo delete"),
        N_("Bring back the last deleted record (Ctrl+Z)"),
        "Ctrl+Z",
        "undo",
    ),
    ActionSpec("find", "edit", N_("&Find…"), N_("Search this list (Ctrl+F)"), "Ctrl+F", "search"),
    ActionSpec(
        "next",
        "go",
        N_("&Next record"),
        N_("Select the next record (Ctrl+Down)"),
        "Ctrl+Down",
        "next",
    ),
    ActionSpec(
        "previous",
        "go",
        N_("&Previous record"),
        N_("Select the previous record (Ctrl+Up)"),
        "Ctrl+Up",
        "previous",
    ),
    ActionSpec(
        "view_partners", "go", N_("&Partners"), N_("Show partners (Ctrl+1)"), "Ctrl+1", "partners"
    ),
    ActionSpec(
        "view_practices",
        "go",
        N_("P&ractices"),
        N_("Show practices (Ctrl+2)"),
        "Ctrl+2",
        "practices",
    ),
    ActionSpec("view_map", "go", N_("&Map"), N_("Show the map (Ctrl+3)"), "Ctrl+3", "map"),
    ActionSpec(
        "view_forums",
        "go",
        N_("&Forums and registrations"),
        N_("Show forums and registrations (Ctrl+4)"),
        "Ctrl+4",
        "forums",
    ),
    ActionSpec("view_sync", "go", N_("S&ync"), N_("Show sync (Ctrl+5)"), "Ctrl+5", "sync"),
    ActionSpec(
        "view_settings", "go", N_("Se&ttings"), N_("Show settings (Ctrl+6)"), "Ctrl+6", "settings"
    ),
    ActionSpec("shortcuts", "help", N_("&Keyboard shortcuts"), N_("Every keyboard shortcut (F1)"), "F1"),
    ActionSpec("about", "help", N_("&About Relay"), N_("About Relay"), None, None),
)


class WindowActions:
    """Builds the menus of ``window``; ``connect(name, slot)`` wires an action."""

    def __init__(self, window: QMainWindow) -> None:
        self.menus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        for key in MENUS:
            self.menus[key] = window.menuBar().addMenu("")
        for spec in SPECS:
            action = QAction(window)
            if spec.icon:
                action.setIcon(icon(spec.icon))
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            self.menus[spec.menu].addAction(action)
            window.addAction(action)  # shortcuts work even with the menu bar hidden
            self.actions[spec.name] = action
        self.retranslate_ui()

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def connect(self, name: str, slot: Callable[[], object]) -> None:
        self.actions[name].triggered.connect(lambda _checked=False: slot())

    def retranslate_ui(self) -> None:
        for key, menu in self.menus.items():
            menu.setTitle(_(MENUS[key]))
        for spec in SPECS:
            action = self.actions[spec.name]
            action.setText(_(spec.text))
            action.setToolTip(_(spec.tip))
            action.setStatusTip(_(spec.tip))
