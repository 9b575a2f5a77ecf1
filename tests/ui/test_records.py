"""Create, edit, validate, search, filter, delete and undo, for every record kind, in the UI."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from relay_app.i18n import set_language
from relay_app.services import Services
from relay_app.transfer import SourceRow
from relay_app.ui.main_window import MainWindow
from relay_app.ui.records.panel import RecordPanel
from tests import factories
from tests.ui.conftest import answer_next_dialog, type_text
from tests.ui.records_helpers import TEXT_FIELD, TITLE_FIELD, values_for

KINDS = ["partners", "practices", "forums", "registrations"]


def _open(window: MainWindow, kind: str) -> RecordPanel:
    view = "forums" if kind in ("forums", "registrations") else kind
    window.show_view(view)
    panel = window.panels[kind]
    if view == "forums":
        window.forums_page.setCurrentWidget(panel)
    assert window.current_panel() is panel
    return panel


def _activate(window: MainWindow, qtbot: QtBot) -> None:
    """Shortcuts go to the active window; a closed dialog may leave none active."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _count(services: Services, kind: str) -> int:
    return services.records(kind).count()


@pytest.mark.parametrize("kind", KINDS)
def test_create_then_edit_a_record(
    window: MainWindow, services: Services, qtbot: QtBot, kind: str
) -> None:
    values = values_for(services, kind)
    if kind == "registrations":
        window.panels["practices"].editor.refresh_references()
        window.panels["registrations"].editor.refresh_references()
    panel = _open(window, kind)
    window.actions["new"].trigger()
    assert panel.is_editing()
    editor = panel.editor
    for name, value in values.items():
        if name != TITLE_FIELD[kind]:
            editor.field_input(name).set_raw(value)
    # The title is typed key by key, as a person does.
    title_widget = editor.field_input(TITLE_FIELD[kind]).focus
    title_widget.setFocus()
    type_text(qtbot, title_widget, str(values[TITLE_FIELD[kind]]))
    assert editor.is_dirty()
    window.actions["save"].trigger()
    qtbot.waitUntil(lambda: _count(services, kind) == 1)
    qtbot.waitUntil(lambda: not panel.is_editing())
    record = services.records(kind).list()[0]
    assert record.values[TITLE_FIELD[kind]] == values[TITLE_FIELD[kind]]
    assert panel.model.total == 1
    assert panel.selected_id() == record.id
    assert values[TITLE_FIELD[kind]] in panel.detail.toPlainText()

    # Edit: Enter on the list opens the editor on the selected record.
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert panel.is_editing() and editor.record_id == record.id
    text = editor.field_input(TEXT_FIELD[kind])
    text.set_raw("")
    text.focus.setFocus()
    qtbot.keyClicks(text.focus, "Changed in the editor")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            services.records(kind).get(record.id).values[TEXT_FIELD[kind]]
            == "Changed in the editor"
        )
    )
    assert _count(services, kind) == 1
    assert window.status_panel.pending.text().startswith(
        "2 changes" if kind == "registrations" else "1 change"
    )


@pytest.mark.parametrize(
    ("kind", "field", "bad_value", "expected"),
    [
        ("partners", "email", "not-an-email", "email"),
        ("registrations", "email", "awa@", "email"),
        ("practices", "start_year", "twenty", "whole number"),
        ("forums", "capacity", "0", "Capacity"),
    ],
)
def test_invalid_value_is_flagged_inline_and_save_refused(
    window: MainWindow,
    services: Services,
    qtbot: QtBot,
    kind: str,
    field: str,
    bad_value: str,
    expected: str,
) -> None:
    values = values_for(services, kind)
    for editor_panel in window.panels.values():
        editor_panel.editor.refresh_references()
    before = _count(services, kind)
    panel = _open(window, kind)
    panel.new_record()
    editor = panel.editor
    for name, value in values.items():
        editor.field_input(name).set_raw(value)
    widget = editor.field_input(field).focus
    widget.clear()
    widget.setFocus()
    qtbot.keyClicks(widget, bad_value)
    # Flagged while typing, before any save.
    assert expected.lower() in editor.error_text(field).lower()
    assert editor.rows[field].error.isVisible()
    assert "⚠" in editor.error_text(field)  # not colour alone
    assert editor.save() is False
    assert editor.banner.isVisible()
    assert panel.is_editing()
    assert _count(services, kind) == before
    # Fixing the value clears the message, and the save goes through.
    editor.field_input(field).set_raw(values.get(field, ""))
    assert editor.error_text(field) == ""
    assert editor.save() is True
    qtbot.waitUntil(lambda: _count(services, kind) == before + 1)


def test_required_fields_are_marked_in_words_for_screen_readers(window: MainWindow) -> None:
    editor = window.panels["partners"].editor
    name_row = editor.rows["name"]
    assert name_row.label.text().endswith("*")
    assert name_row.input.focus.accessibleDescription() == "Required"
    assert name_row.label.buddy() is name_row.input.focus
    assert editor.rows["acronym"].label.text() == "Acronym"


@pytest.mark.parametrize("kind", KINDS)
def test_search_as_you_type(
    window: MainWindow, services: Services, qtbot: QtBot, kind: str
) -> None:
    records = services.records(kind)
    title = TITLE_FIELD[kind]
    records.create(values_for(services, kind, **{title: "Séquestration du carbone"}))
    records.create(values_for(services, kind, **{title: "Mulching"}))
    panel = _open(window, kind)
    panel.apply_query()
    assert panel.model.total == 2
    window.actions["find"].trigger()
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "sequest")
    qtbot.waitUntil(lambda: panel.model.total == 1)
    assert panel.model.data(panel.model.index(0, 0)) in ("Séquestration du carbone", "Ndiaye")
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.total == 2)


def test_a_search_of_many_rows_shows_its_exact_count(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    # More matches than the list loads at once: the count still is exact, grouped the locale's way.
    rows = [
        SourceRow(number, factories.partner(name=f"Coopérative {number}", country="SN"))
        for number in range(1234)
    ]
    rows += [SourceRow(1234 + n, factories.partner(name=f"Ferme {n}")) for n in range(3)]
    assert services.import_rows("partners", rows).created == 1237
    panel = _open(window, "partners")
    panel.apply_query()
    assert panel.count_label.text() == "1,237 records"
    qtbot.keyClicks(panel.search, "cooperative")
    qtbot.waitUntil(lambda: panel.count_label.text() == "1,234 records")
    assert panel.model.total is None and panel.model.rowCount() < 1234  # not all loaded
    panel.model.fetchMore(QModelIndex())  # scrolling on does not change the count
    assert panel.count_label.text() == "1,234 records"
    panel.filters.combos["country"].setCurrentIndex(
        panel.filters.combos["country"].findData("SN")
    )
    assert panel.count_label.text() == "1,234 records"
    panel.filters.combos["country"].setCurrentIndex(
        panel.filters.combos["country"].findData("FR")
    )
    assert panel.count_label.text() == "0 records"
    set_language("fr")
    try:
        panel.filters.combos["country"].setCurrentIndex(0)
        assert panel.count_label.text().startswith("1\u202f234 ")  # a narrow no-break space
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("kind", "field", "chosen", "other"),
    [
        ("partners", "college", "research_education", "farmers_foresters_organisations"),
        ("practices", "land_use", "cropland", "grazing_land"),
        ("forums", "country", "SN", "PE"),
        ("registrations", "status", "registered", "cancelled"),
    ],
)
def test_filter_from_code_lists(
    window: MainWindow, services: Services, kind: str, field: str, chosen: str, other: str
) -> None:
    records = services.records(kind)
    records.create(values_for(services, kind, **{field: chosen}))
    extra = {"region": None} if field == "country" else {}
    records.create(values_for(services, kind, **{field: other}, **extra))
    panel = _open(window, kind)
    panel.apply_query()
    assert panel.model.total == 2
    panel.filters.set_value(field, other)
    assert panel.model.total == 1
    row_id = panel.model.record_id(0)
    assert row_id is not None and records.get(row_id).values[field] == other
    panel.filters.clear()
    assert panel.model.total == 2


@pytest.mark.parametrize("kind", KINDS)
def test_delete_with_confirmation_then_undo(
    window: MainWindow, services: Services, qtbot: QtBot, kind: str
) -> None:
    record = services.records(kind).create(values_for(services, kind))
    panel = _open(window, kind)
    panel.apply_query()
    assert panel.select(record.id)
    panel.table.setFocus()

    # "Keep" leaves the record alone.
    answer_next_dialog("Keep")
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert _count(services, kind) == 1

    _activate(window, qtbot)
    said = answer_next_dialog("Delete")
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _count(services, kind) == 0)
    assert record.summary in said[0]
    qtbot.waitUntil(lambda: panel.model.total == 0)
    assert panel.toast.isVisible() and panel.toast.action.isVisible()

    _activate(window, qtbot)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _count(services, kind) == 1)
    qtbot.waitUntil(lambda: panel.model.total == 1)
    assert services.records(kind).get(record.id).values == record.values

    # The toast's Undo button does the same.
    panel.select(record.id)
    answer_next_dialog("Delete")
    panel.delete_selected()
    qtbot.waitUntil(lambda: panel.model.total == 0 and panel.toast.action.isVisible())
    qtbot.mouseClick(panel.toast.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _count(services, kind) == 1)


def test_next_and_previous_record_shortcuts(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        services.records("partners").create(values_for(services, "partners", name=name))
    panel = _open(window, "partners")
    panel.apply_query()
    panel.table.setFocus()
    for expected in ("Alpha", "Beta", "Gamma", "Gamma"):
        qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
        assert expected in panel.detail.toPlainText()
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert "Beta" in panel.detail.toPlainText()


def test_tab_leaves_a_list_at_once(window: MainWindow, services: Services, qtbot: QtBot) -> None:
    """Tried: Tab on the partners list holding records. It goes on to the next control, not cell
    by cell through every record's columns."""
    services.records("partners").create(factories.partner())
    services.records("partners").create(factories.partner(name="Réseau Sahel"))
    panel = _open(window, "partners")
    window.changes.records_changed.emit("partners")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not panel.table.hasFocus())
