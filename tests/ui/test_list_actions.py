"""What a person does to records in a list besides editing: the context menu, deleting several
records at once (one question, one write, one undo), and the warning before deleting a partner
that practices name as their source. Keys go to the shown main window, so shortcuts see them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from relay_app.services import Services
from relay_app.ui.main_window import MainWindow
from relay_app.ui.records.panel import RecordPanel
from tests import factories
from tests.ui.conftest import answer_next_dialog


def _partners(window: MainWindow, services: Services, *names: str) -> tuple[RecordPanel, list[Any]]:
    made = [services.records("partners").create(factories.partner(name=name)) for name in names]
    window.show_view("partners")
    panel = window.panels["partners"]
    panel.apply_query()
    return panel, made


def _activate(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _row_center(panel: RecordPanel, row: int) -> QPoint:
    return panel.table.visualRect(panel.model.index(row, 0)).center()


def _click_row(qtbot: QtBot, panel: RecordPanel, row: int, modifier: Any = None) -> None:
    modifier = modifier or Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, modifier, _row_center(panel, row))


def _shown_menu(qtbot: QtBot, panel: RecordPanel) -> QMenu:
    qtbot.waitUntil(lambda: panel.context_menu.menu is not None and panel.context_menu.menu.isVisible())
    menu = panel.context_menu.menu
    assert menu is not None
    return menu


def _entry(menu: QMenu, name: str) -> QAction:
    [action] = [action for action in menu.actions() if action.objectName() == name]
    return action


def _choose(qtbot: QtBot, menu: QMenu, name: str) -> None:
    """Click the entry as a person does (QMenu triggers on the mouse release)."""
    action = _entry(menu, name)
    assert action.isEnabled(), name
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


class _PartnerWrites:
    """Counts committed transactions that changed partners: a real listener on the real engine."""

    def __init__(self, services: Services) -> None:
        self.count = 0
        self._open: set[int] = set()
        engine = services.database.engine
        event.listen(engine, "before_cursor_execute", self._executed)
        event.listen(engine, "commit", self._committed)

    def _executed(self, connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE PARTNERS"):
            self._open.add(id(connection))

    def _committed(self, connection: Any) -> None:
        if id(connection) in self._open:
            self._open.discard(id(connection))
            self.count += 1


def test_shift_click_three_partners_del_asks_once_writes_once_and_one_ctrl_z_brings_all_back(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Before, the list allowed one selected row: Del deleted one partner and asked about it."""
    panel, made = _partners(window, services, "Alpha", "Beta", "Gamma", "Delta")
    _activate(window, qtbot)
    _click_row(qtbot, panel, 0)
    _click_row(qtbot, panel, 2, Qt.KeyboardModifier.ShiftModifier)
    assert len(panel.table.selectionModel().selectedRows()) == 3
    writes = _PartnerWrites(services)

    said = answer_next_dialog("Delete", with_details=True)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: services.records("partners").count() == 1)
    assert said[0].startswith("Delete 3 partners?")
    assert "Ctrl+Z" in said[0]
    qtbot.waitUntil(lambda: panel.toast.isVisible())
    assert panel.toast.message.text() == "3 partners deleted."
    assert writes.count == 1
    assert [record.values["name"] for record in services.records("partners").list()] == ["Delta"]

    _activate(window, qtbot)
    panel.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: services.records("partners").count() == 4)
    assert writes.count == 2  # the undo is one write too
    qtbot.waitUntil(lambda: panel.model.total == 4)
    assert sorted(panel.context_menu.selected_text().split("\n"))[0].startswith("Alpha")
    assert len(panel.table.selectionModel().selectedRows()) == 3  # the restored ones, selected
    assert not panel.can_undo()

    # Ctrl+click picks rows apart; the toast's Undo brings them back the same way.
    _click_row(qtbot, panel, 0)
    _click_row(qtbot, panel, 3, Qt.KeyboardModifier.ControlModifier)
    answer_next_dialog("Delete")
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: services.records("partners").count() == 2)
    qtbot.waitUntil(lambda: panel.toast.action.isVisible())
    qtbot.mouseClick(panel.toast.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.records("partners").count() == 4)
    assert [services.records("partners").get(r.id).values for r in made] == [r.values for r in made]


def test_ctrl_down_moves_the_selection_instead_of_adding_to_it(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """With several rows selectable, the program's own selection must not read the held Ctrl."""
    panel, _made = _partners(window, services, "Alpha", "Beta", "Gamma")
    _activate(window, qtbot)
    panel.table.setFocus()
    for expected in ("Alpha", "Beta", "Gamma"):
        qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
        assert len(panel.table.selectionModel().selectedRows()) == 1
        assert panel.detail.toPlainText().startswith(expected)


def test_deleting_a_partner_that_practices_name_warns_with_their_titles(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Before, the question was the same as for a partner nobody refers to."""
    panel, [source, _other] = _partners(window, services, "Source", "Other")
    practices = services.records("practices")
    for title in ("Cover crops in vineyards", "Mulching in Thiès"):
        practices.create(factories.practice(title=title, partner_id=source.id))
    _activate(window, qtbot)
    _click_row(qtbot, panel, 0)

    said = answer_next_dialog("Keep", with_details=True)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(said))
    assert "2 practices name this partner as their source; delete anyway?" in said[0]
    assert "Cover crops in vineyards" in said[0] and "Mulching in Thiès" in said[0]
    assert services.records("partners").count() == 2

    _activate(window, qtbot)
    answer_next_dialog("Delete anyway")
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: services.records("partners").count() == 1)

    # A partner nobody names is asked about plainly.
    _activate(window, qtbot)
    _click_row(qtbot, panel, 0)
    said = answer_next_dialog("Keep", with_details=True)
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(said))
    assert said[0].startswith("Delete “Other")
    assert "practice" not in said[0]


def test_menu_key_and_shift_f10_open_the_context_menu_and_its_entries_act(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Before, the list had no context menu: these keys did nothing."""
    panel, [alpha, _beta] = _partners(window, services, "Alpha", "Beta")
    _activate(window, qtbot)
    _click_row(qtbot, panel, 0)
    panel.table.setFocus()

    qtbot.keyClick(window, Qt.Key.Key_Menu)
    menu = _shown_menu(qtbot, panel)
    texts = [action.text().split("\t")[0].replace("&", "") for action in menu.actions() if action.text()]
    assert texts == ["Edit", "Delete", "Copy", "Export selected…", "Show practices of this partner"]
    _choose(qtbot, menu, "copy")
    copied = QGuiApplication.clipboard().text()
    assert copied == "\t".join(
        panel.model.index(0, column).data() for column in range(panel.model.columnCount())
    )
    assert copied.startswith("Alpha\t")

    _activate(window, qtbot)
    panel.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    _choose(qtbot, _shown_menu(qtbot, panel), "edit")
    assert panel.is_editing() and panel.editor.record_id == alpha.id
    panel.cancel_editing()
    assert not panel.is_editing()


def test_right_click_keeps_the_selection_and_deletes_or_exports_the_selected_rows(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    """A right-click inside a selection of two acts on both; Export selected writes only those."""
    panel, _made = _partners(window, services, "Alpha", "Beta", "Gamma")
    _activate(window, qtbot)
    _click_row(qtbot, panel, 0)
    _click_row(qtbot, panel, 1, Qt.KeyboardModifier.ShiftModifier)

    def right_click(row: int) -> QMenu:
        viewport = panel.table.viewport()
        where = _row_center(panel, row)
        qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=where)
        # The platform follows a right-click with this event; QTest does not make it.
        QApplication.sendEvent(
            viewport,
            QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, viewport.mapToGlobal(where)),
        )
        return _shown_menu(qtbot, panel)

    menu = right_click(1)
    assert not _entry(menu, "edit").isEnabled()  # one record at a time
    assert not _entry(menu, "show_practices").isEnabled()
    target = tmp_path / "two.csv"

    def save_as() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, save_as)
            return
        dialog.selectFile(str(target))
        dialog.accept()

    QTimer.singleShot(0, save_as)
    answer_next_dialog("OK")  # "2 records written to two.csv."
    _choose(qtbot, menu, "export")
    qtbot.waitUntil(target.exists)
    with target.open(encoding="utf-8-sig") as handle:
        assert [row["name"] for row in csv.DictReader(handle)] == ["Alpha", "Beta"]

    _activate(window, qtbot)
    menu = right_click(0)
    answer_next_dialog("Delete")
    _choose(qtbot, menu, "delete")
    qtbot.waitUntil(lambda: services.records("partners").count() == 1)
    assert [record.values["name"] for record in services.records("partners").list()] == ["Gamma"]


def test_show_practices_of_this_partner_opens_the_practices_filtered_on_it(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    panel, [source, other] = _partners(window, services, "Source", "Other")
    practices = services.records("practices")
    practices.create(factories.practice(title="Cover crops", partner_id=source.id))
    practices.create(factories.practice(title="Mulching", partner_id=source.id))
    practices.create(factories.practice(title="Elsewhere", partner_id=other.id))
    _activate(window, qtbot)
    _click_row(qtbot, panel, 0)
    panel.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Menu)
    _choose(qtbot, _shown_menu(qtbot, panel), "show_practices")

    listed = window.panels["practices"]
    assert window.current_panel() is listed
    qtbot.waitUntil(lambda: listed.model.total == 2)
    titles = {listed.model.index(row, 0).data() for row in range(listed.model.rowCount())}
    assert titles == {"Cover crops", "Mulching"}
    assert listed.filters.pinned_label.isVisible()
    assert listed.filters.pinned_label.text() == f"Contributing partner: {source.summary}"
    qtbot.mouseClick(listed.filters.show_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: listed.model.total == 3)
    assert not listed.filters.pinned_label.isVisible()
