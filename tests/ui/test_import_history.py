"""File ▸ Import history…, driven with keys and clicks over a real store: the imports listed,
one undone after a confirmation, another refused because a record changed since."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from relay_app.formatting import format_datetime
from relay_app.imports import Duplicates, check, list_batches, open_import, write
from relay_app.services import Services
from relay_app.ui.imports import ImportHistoryDialog
from relay_app.ui.main_window import MainWindow
from tests.imports.files import write_csv
from tests.ui.conftest import answer_next_dialog

HEADERS = ["Name", "Member or partner", "College", "Country", "City"]


def _import(services: Services, path: Path, policy: Duplicates | None = None) -> None:
    partners = services.records("partners")
    write(partners, check(partners, open_import(partners, path)), duplicates=policy)


def _open(window: MainWindow, qtbot: QtBot) -> ImportHistoryDialog:
    window.show_view("partners")
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_I, modifiers)
    qtbot.waitUntil(lambda: window.findChild(ImportHistoryDialog) is not None)
    dialog = window.findChild(ImportHistoryDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _click_row(qtbot: QtBot, dialog: ImportHistoryDialog, row: int) -> None:
    table = dialog.table
    rect = table.visualItemRect(table.item(row, 2))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: dialog.selected() is dialog.batches[row])


def test_the_history_lists_the_imports_and_undoes_one_after_asking(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    _import(services, write_csv(tmp_path / "first.csv", [
        HEADERS, ["Coopérative des éleveurs", "Member", "Research and education", "SN", "Thiès"],
        ["Réseau Sahel", "Partner", "Research and education", "BF", ""],
    ]))
    _import(services, write_csv(tmp_path / "second.csv", [
        HEADERS, ["Coopérative des éleveurs", "Member", "Research and education", "SN", "Kaolack"],
        ["Nouveau venu", "Partner", "Research and education", "NE", "Niamey"],
    ]), Duplicates.UPDATE)
    newest, oldest = list_batches(services.database)

    dialog = _open(window, qtbot)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    cells = [[dialog.table.item(row, column).text() for column in range(6)] for row in range(2)]
    assert cells == [
        [format_datetime(newest.imported_at, "short"), "Partners", "second.csv", "1", "1", ""],
        [format_datetime(oldest.imported_at, "short"), "Partners", "first.csv", "2", "0", ""],
    ]
    assert dialog.selected() == newest and dialog.undo_button.isEnabled()

    # Keep it: nothing happens.
    seen = answer_next_dialog("Keep it", with_details=True)
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert seen == [
        f"Undo the import of second.csv made on {cells[0][0]}?\n"
        "The 1 record it created will be deleted.\n"
        "The 1 record it updated gets back the values it had before.\n"
        "Nothing is done if one of them was changed since."
    ]
    assert services.records("partners").count() == 3

    answer_next_dialog("Undo the import")
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result.text() != "")
    assert dialog.result.text() == (
        "Import undone: 1 record deleted. 1 record it updated has its previous values again."
    )
    qtbot.waitUntil(lambda: dialog.table.item(0, 5).text() != "")
    assert dialog.selected() is not None and dialog.selected().id == newest.id  # still the one chosen
    assert not dialog.undo_button.isEnabled()  # already undone
    partners = services.records("partners")
    assert {v.values["name"]: v.values["city"] for v in partners.list()} == {
        "Coopérative des éleveurs": "Thiès", "Réseau Sahel": None
    }
    assert window.panels["partners"].model.rowCount() == 2  # the list followed

    # The first import, chosen with the keyboard, is refused once one of its records was edited.
    sahel = next(v for v in partners.list() if v.values["name"] == "Réseau Sahel")
    partners.update(sahel.id, {"city": "Ouagadougou"})
    dialog.table.setFocus()
    QTest.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.selected() is not None and dialog.selected().id == oldest.id)
    assert dialog.undo_button.isEnabled()
    answer_next_dialog("Undo the import")
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result.text().startswith("Not undone"))
    assert "Réseau Sahel" in dialog.result.text()
    assert partners.count() == 2
    qtbot.waitUntil(dialog.undo_button.isEnabled)  # refused, not undone: it can be tried again later


def test_with_no_imports_the_history_says_so_and_shows_the_next_one(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    dialog = _open(window, qtbot)
    qtbot.waitUntil(lambda: not dialog.empty.isHidden())
    assert dialog.empty.text() == "No imports yet." and dialog.table.rowCount() == 0
    assert not dialog.undo_button.isEnabled()

    _import(services, write_csv(tmp_path / "new.csv", [
        HEADERS, ["Réseau Sahel", "Partner", "Research and education", "BF", ""]
    ]))
    window.changes.records_changed.emit("partners")  # what the wizard's last page says
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.empty.isHidden() and dialog.undo_button.isEnabled()

    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(ImportHistoryDialog) is None)
    window.changes.records_changed.emit("partners")  # the closed list is not read again


def test_an_import_made_before_values_were_kept_says_its_updates_stay(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    from sqlalchemy import delete

    from relay_app.store.models import ImportBatchUpdate

    rows = [HEADERS, ["Réseau Sahel", "Partner", "Research and education", "BF", ""]]
    _import(services, write_csv(tmp_path / "first.csv", rows))
    rows[1][4] = "Ouagadougou"
    _import(services, write_csv(tmp_path / "again.csv", rows), Duplicates.UPDATE)
    with services.database.write() as session:  # as an import made before Relay kept the values
        session.execute(delete(ImportBatchUpdate))

    dialog = _open(window, qtbot)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    _click_row(qtbot, dialog, 0)
    seen = answer_next_dialog("Undo the import", with_details=True)
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert "The 1 record it updated keeps its new values: this import was made before" in seen[0]
    qtbot.waitUntil(lambda: dialog.result.text() != "")
    assert dialog.result.text() == (
        "Import undone: 0 records deleted. 1 record it updated keeps its new values."
    )


def test_tab_leaves_the_list_for_its_buttons_at_once(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    """Tried: Tab on the list of imports. Arrows move in the list; Tab goes on to Undo, not cell by
    cell through every import's six columns."""
    _import(services, write_csv(tmp_path / "first.csv", [
        HEADERS, ["Coopérative des éleveurs", "Member", "Research and education", "SN", "Thiès"],
    ]))
    dialog = _open(window, qtbot)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    QTest.keyClick(dialog.table, Qt.Key.Key_Tab)
    qtbot.waitUntil(dialog.undo_button.hasFocus)
