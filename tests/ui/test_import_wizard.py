"""The import wizard, driven as a person does: keys and clicks, a real file, a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from relay_app.imports import check, open_import, write
from relay_app.imports.reading import read_sheet
from relay_app.services import Services
from relay_app.ui.imports import ImportWizard
from relay_app.ui.imports.preview_page import INVALID_CELL
from relay_app.ui.main_window import MainWindow
from tests.imports.files import write_csv
from tests.ui.person import turn_wheel

HEADERS = ["Raison sociale", "Membre ou partenaire", "Collège", "Pays", "Courriel", "Notes"]
ROWS = [
    ["Coopérative des éleveurs", "Membre", "Société civile et ONG", "Sénégal", "coop@example.org", "x"],
    ["Réseau Sahel", "Partenaire", "Recherche et formation", "Burkina Faso", "pas-un-courriel", ""],
    ["Terres du Mali", "Partenaire", "Recherche et formation", "Mali", "", ""],
    ["Sols vivants", "Membre", "Recherche et formation", "France", "sols@example.org", ""],
    ["Terra Andina", "Partenaire", "Recherche et formation", "Pérou", "", "appeler"],
]


def _file(tmp_path: Path, rows: list[list[str]] = ROWS) -> Path:
    return write_csv(tmp_path / "partenaires.csv", [HEADERS, *rows], encoding="cp1252", delimiter=";")


def _open_wizard(window: MainWindow, qtbot: QtBot) -> ImportWizard:
    window.show_view("partners")
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(ImportWizard) is not None)
    wizard = window.findChild(ImportWizard)
    qtbot.waitExposed(wizard)
    return wizard


def _next(wizard: ImportWizard, qtbot: QtBot, page: object) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=20000)


def _choose_file(wizard: ImportWizard, qtbot: QtBot, path: Path) -> None:
    edit = wizard.file_page.path_edit
    edit.setFocus()
    qtbot.keyClicks(edit, str(path))
    _next(wizard, qtbot, wizard.mapping_page)


def test_a_french_file_with_a_bad_row_imports_its_valid_rows_and_is_undone(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, _file(tmp_path))

    mapping = wizard.mapping_page
    assert mapping.file_info.text() == (
        "5 rows in partenaires.csv: text in cp1252, separator: semicolon."
    )
    assert "Ignored: “Raison sociale”, “Notes”" in mapping.summary.text()
    notes = HEADERS.index("Notes")
    assert mapping.table.item(notes, 3).text().startswith("no match: ignored")
    combo = mapping.combos["Raison sociale"]
    combo.setFocus()
    qtbot.keyClicks(combo, "Name")  # the keyboard search of a combo box
    assert combo.currentData() == "name"
    assert mapping.combos["Pays"].currentData() == "country"
    assert "Ignored: “Notes”" in mapping.summary.text()
    _next(wizard, qtbot, wizard.preview_page)

    preview = wizard.preview_page
    assert preview.counts.text() == "4 valid rows and 1 with errors, out of 5 in the whole file."
    email = HEADERS.index("Courriel")
    bad = preview.table.item(1, email)
    assert bad.background().color() == INVALID_CELL and "Email" in bad.toolTip()
    assert preview.table.item(0, email).toolTip() == ""
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # all or nothing by default
    assert preview.summary.isVisible()
    assert preview.summary.text() == "1 row: Email must be an email address such as name@example.org."

    rejects = tmp_path / "rejets.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(rejects), ""))
    QTest.mouseClick(preview.save_rejects, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 row saved" in preview.note.text())
    assert [row.values["Raison sociale"] for row in read_sheet(rejects).rows] == ["Réseau Sahel"]

    preview.valid_only.setFocus()
    qtbot.keyClick(preview.valid_only, Qt.Key.Key_Space)
    assert preview.valid_only.isChecked()
    _next(wizard, qtbot, wizard.duplicates_page)
    assert wizard.duplicates_page.summary.text() == "No row looks like a record already here."
    _next(wizard, qtbot, wizard.result_page)

    result = wizard.result_page
    assert "4 records created" in result.result.text()
    assert "1 row with errors left out" in result.result.text()
    partners = services.records("partners")
    assert sorted(v.values["name"] for v in partners.list()) == [
        "Coopérative des éleveurs", "Sols vivants", "Terra Andina", "Terres du Mali"
    ]
    assert window.panels["partners"].model.rowCount() == 4  # the list followed the change

    QTest.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Import undone: 4 records deleted." in result.result.text())
    assert partners.count() == 0


def test_a_reimport_offers_each_duplicate_and_updates_them_all(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    partners = services.records("partners")
    good = [row for row in ROWS if "@" in row[4] or not row[4]]
    first = open_import(partners, _file(tmp_path, good))
    write(partners, check(partners, first, first.mapping.choose("Raison sociale", "name")))
    assert partners.count() == 4
    changed = [[*row[:5], ""] for row in good]
    changed[2][3] = "FR"  # "Sols vivants" stays in France; the file now names it by code
    for row in changed:
        row[0] = row[0].upper()
    path = _file(tmp_path, changed)

    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, path)
    assert wizard.mapping_page.combos["Raison sociale"].currentData() == "name"  # remembered
    _next(wizard, qtbot, wizard.preview_page)
    _next(wizard, qtbot, wizard.duplicates_page)
    page = wizard.duplicates_page
    assert page.summary.text() == "4 rows look like records already here."
    assert {combo.currentData() for combo in page.combos.values()} == {"skip"}
    page.for_all.setFocus()
    qtbot.keyClicks(page.for_all, "Update")
    assert {combo.currentData() for combo in page.combos.values()} == {"update"}
    _next(wizard, qtbot, wizard.result_page)
    assert "4 updated" in wizard.result_page.result.text()
    assert partners.count() == 4
    assert {v.values["name"] for v in partners.list()} == {row[0] for row in changed}

    result = wizard.result_page
    assert result.undo_button.isEnabled()  # nothing created, but updates to put back
    QTest.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "previous values again" in result.result.text())
    assert result.result.text() == (
        "Import undone: 0 records deleted. 4 records it updated have their previous values again."
    )
    assert {v.values["name"] for v in partners.list()} == {row[0] for row in good}


def test_a_row_repeating_an_earlier_one_is_offered_and_its_values_go_onto_that_record(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    rows = [ROWS[0], ROWS[2], ["Coopérative des éleveurs", "Membre", "Société civile et ONG", "Sénégal",
                               "", "Thiès"]]
    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, _file(tmp_path, rows))
    combo = wizard.mapping_page.combos["Raison sociale"]
    combo.setFocus()
    qtbot.keyClicks(combo, "Name")
    notes = wizard.mapping_page.combos["Notes"]
    notes.setFocus()
    qtbot.keyClicks(notes, "City")
    assert notes.currentData() == "city"
    _next(wizard, qtbot, wizard.preview_page)
    _next(wizard, qtbot, wizard.duplicates_page)

    page = wizard.duplicates_page
    assert page.summary.text() == "1 row repeats an earlier row of the file."
    assert page.table.item(0, 2).text() == "same as row 2 (Coopérative des éleveurs)"
    assert page.table.item(0, 3).text() == "same name"
    decision = page.combos[4]
    assert decision.currentText() == "Skip: keep the earlier row"
    decision.setFocus()
    qtbot.keyClicks(decision, "Add")
    assert decision.currentData() == "update"
    _next(wizard, qtbot, wizard.result_page)

    assert "2 records created" in wizard.result_page.result.text()
    assert "1 repeated row added to an earlier row's record" in wizard.result_page.result.text()
    partners = services.records("partners")
    [cooperative] = partners.list(filters={"country": "SN"})
    assert (cooperative.values["city"], cooperative.values["email"]) == ("Thiès", "coop@example.org")


def test_cancel_during_a_large_import_writes_nothing(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    rows = [[f"Partenaire {i}", "Membre", "Recherche et formation", "Sénégal", f"p{i}@example.org", ""]
            for i in range(25_000)]
    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, _file(tmp_path, rows))
    mapping = wizard.mapping_page
    mapping.combos["Raison sociale"].setFocus()
    qtbot.keyClicks(mapping.combos["Raison sociale"], "Name")
    _next(wizard, qtbot, wizard.preview_page)
    _next(wizard, qtbot, wizard.duplicates_page)

    QTest.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    step = wizard.duplicates_page.step
    qtbot.waitUntil(lambda: step.operation is not None and step.operation.progress_dialog is not None
                    and step.operation.progress_dialog.isVisible())
    dialog = step.operation.progress_dialog
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Cancel")
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not step.running, timeout=20000)
    assert wizard.duplicates_page.problem.text() == "Cancelled: nothing was written."
    assert wizard.currentPage() is wizard.duplicates_page
    assert services.records("partners").count() == 0


def test_closing_the_wizard_while_it_checks_stops_the_work_and_lets_go_of_the_file(
    window: MainWindow, qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    from relay_app.ui.operations import wait_for_writer

    rows = [[f"Partenaire {i}", "Membre", "Recherche et formation", "Sénégal", "", ""] for i in range(25_000)]
    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, _file(tmp_path, rows))
    QTest.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.mapping_page.step.running
    QTest.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(ImportWizard) is None)
    assert wait_for_writer()
    qtbot.wait(50)  # the worker's answer reaches a wizard that is gone, and is dropped
    assert services.records("partners").count() == 0


def test_a_required_field_no_column_fills_is_named_above_the_rows(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """A file without the "member or partner" column: no cell can be marked, so the page says
    which field is missing on how many rows, and where to fix it."""
    kind = HEADERS.index("Membre ou partenaire")
    headers = [header for index, header in enumerate(HEADERS) if index != kind]
    rows = [[cell for index, cell in enumerate(row) if index != kind] for row in ROWS]
    path = write_csv(tmp_path / "sans-type.csv", [headers, *rows], encoding="cp1252", delimiter=";")
    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, path)
    _next(wizard, qtbot, wizard.preview_page)
    summary = wizard.preview_page.summary.text().splitlines()
    unfilled = "No column of the file fills this field: go back to choose one."
    # "Raison sociale" matches no field by itself either (the first test picks Name by hand).
    assert set(summary[:2]) == {
        f"5 rows: Name is required. {unfilled}", f"5 rows: Member or partner is required. {unfilled}"
    }
    assert summary[2] == "1 row: Email must be an email address such as name@example.org."


def test_a_wheel_passing_over_the_columns_changes_no_field(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Scrolling the columns table with the wheel over a field's drop-down, without clicking it
    first, leaves the field as it was; once clicked (focused), the wheel chooses as usual."""
    wizard = _open_wizard(window, qtbot)
    _choose_file(wizard, qtbot, _file(tmp_path))
    combo = wizard.mapping_page.combos["Pays"]
    assert combo.currentData() == "country"
    turn_wheel(combo, 3)
    assert combo.currentData() == "country" and not combo.hasFocus()
    combo.setFocus(Qt.FocusReason.MouseFocusReason)
    turn_wheel(combo, 1)
    assert combo.currentData() != "country"
