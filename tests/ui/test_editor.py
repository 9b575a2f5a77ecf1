"""Editors generated from the forms: widgets per type, relevance, live 4 per 1000, accessibility."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from relay_app.forms import FieldType, form_for
from relay_app.services import Services
from relay_app.ui.editor.coordinates import parse_coordinates
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.records_helpers import values_for


def test_each_field_type_gets_its_widget(window: MainWindow) -> None:
    expected = {
        FieldType.TEXT: QLineEdit,
        FieldType.EMAIL: QLineEdit,
        FieldType.LONG_TEXT: QPlainTextEdit,
        FieldType.DECIMAL: QLineEdit,
        FieldType.INTEGER: QLineEdit,
        FieldType.DATE: QLineEdit,  # typed, with a calendar beside it
        FieldType.BOOLEAN: QCheckBox,
        FieldType.CHOICE: QComboBox,
        FieldType.REFERENCE: QComboBox,
    }
    for kind, panel in window.panels.items():
        for field in form_for(kind).fields:
            widget_type = expected.get(field.type)
            if widget_type is not None:
                assert isinstance(panel.editor.field_input(field.name).focus, widget_type), (
                    field.name
                )


def test_every_input_has_an_accessible_name_a_label_buddy_and_a_tab_stop(
    window: MainWindow,
) -> None:
    for kind, panel in window.panels.items():
        editor = panel.editor
        for name, row in editor.rows.items():
            focus = row.input.focus
            assert focus.accessibleName(), f"{kind}.{name}"
            assert row.label.buddy() is focus, f"{kind}.{name}"
            assert focus.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{kind}.{name}"
        # Tab goes through the fields in form order.
        names = list(editor.rows)
        first, second = editor.rows[names[0]].input.focus, editor.rows[names[1]].input.focus
        assert first.nextInFocusChain() is second or second in _chain_after(first, 4), kind
        assert panel.search.accessibleName() and panel.table.accessibleName()
        for combo in panel.filters.combos.values():
            assert combo.accessibleName().startswith("Filter by")


def _chain_after(widget, steps):  # type: ignore[no-untyped-def]
    found = []
    current = widget
    for _step in range(steps):
        current = current.nextInFocusChain()
        found.append(current)
    return found


def test_choice_accepts_a_typed_label_and_an_unknown_one_is_flagged(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = window.panels["partners"].editor
    country = editor.field_input("country")
    country.combo.setEditText("Sénégal".replace("é", "e"))  # type: ignore[attr-defined]
    assert country.raw() == "SN"
    country.combo.setEditText("Atlantis")  # type: ignore[attr-defined]
    assert "not a valid choice" in editor.error_text("country")


def test_soc_fields_appear_when_relevant_and_the_result_updates_live(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.show_view("practices")
    panel = window.panels["practices"]
    panel.new_record()
    editor = panel.editor
    depth = editor.rows["soc_depth_cm"]
    assert not depth.input.widget.isVisible()
    editor.field_input("soc_before_t_ha").set_raw("50")
    assert depth.input.widget.isVisible()
    assert "n/a" in editor.carbon_label.text()  # type: ignore[union-attr]
    editor.field_input("soc_after_t_ha").set_raw("55")
    assert depth.label.text().endswith("*")  # required once both stocks are given
    editor.field_input("soc_years").set_raw("10")
    editor.field_input("soc_depth_cm").set_raw("30")
    text = editor.carbon_label.text()  # type: ignore[union-attr]
    assert "10 ‰ per year" in text and "2.5 ×" in text
    editor.field_input("soc_years").set_raw("2.5")
    assert "40 ‰ per year" in editor.carbon_label.text()  # type: ignore[union-attr]


def test_number_inputs_read_and_show_the_locales_decimal_separator(window: MainWindow) -> None:
    window.show_view("practices")
    panel = window.panels["practices"]
    panel.new_record()
    area = panel.editor.field_input("area_ha")
    area.set_raw("1,500")  # ambiguous in English: left for the validator to flag
    assert area.raw() == "1,500"
    assert panel.editor.form.coerce_field("area_ha", area.raw())[1] is not None
    window.switch_language("fr")
    area.set_raw("0,4")
    assert area.raw() == 0.4
    area.set_raw(12.75)
    assert area.focus.text() == "12,75"  # type: ignore[attr-defined]
    window.switch_language("es")
    area.set_raw(1234.5)
    assert area.raw() == 1234.5


def test_tutorial_steps_can_be_added_and_reordered(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    panel = window.panels["practices"]
    panel.new_record()
    steps_input = panel.editor.field_input("tutorial_steps")
    steps = steps_input.steps  # type: ignore[attr-defined]
    steps.set_items(["Sow", "Mulch", "Harvest"])
    steps.list.setCurrentRow(2)
    steps.list.setFocus()
    qtbot.keyClick(steps.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert steps_input.raw() == ["Sow", "Harvest", "Mulch"]
    steps.move_step(-1)
    assert steps_input.raw() == ["Harvest", "Sow", "Mulch"]
    for name, value in factories.practice().items():
        if name != "tutorial_steps":
            panel.editor.field_input(name).set_raw(value)
    panel.save()
    qtbot.waitUntil(lambda: services.records("practices").count() == 1)
    saved = services.records("practices").list()[0]
    assert saved.values["tutorial_steps"] == ["Harvest", "Sow", "Mulch"]


def test_paste_coordinates_fills_latitude_and_longitude(window: MainWindow) -> None:
    editor = window.panels["partners"].editor
    QGuiApplication.clipboard().setText("14.6937, -17.4441")
    editor.paste_coordinates()
    assert editor.field_input("latitude").raw() == 14.6937
    assert editor.field_input("longitude").raw() == -17.4441
    QGuiApplication.clipboard().setText("no place at all")
    editor.paste_coordinates()
    assert "clipboard" in editor.error_text("latitude")


def test_coordinates_parser_reads_common_forms() -> None:
    assert parse_coordinates("14.69, -17.44") == (14.69, -17.44)
    assert parse_coordinates("14.69 -17.44") == (14.69, -17.44)
    assert parse_coordinates("14,69, -17,44") == (14.69, -17.44)
    assert parse_coordinates("14°41'N 17°26'W") == (
        round(14 + 41 / 60, 6),
        round(-(17 + 26 / 60), 6),
    )
    assert parse_coordinates("95, 10") is None
    assert parse_coordinates("hello") is None


def test_conditional_registration_fields(window: MainWindow, services: Services) -> None:
    values_for(services, "registrations")
    panel = window.panels["registrations"]
    panel.editor.refresh_references()
    panel.new_record()
    editor = panel.editor
    checked_in = editor.rows["checked_in_at"]
    editor.field_input("status").set_raw("registered")
    assert checked_in.input.widget.isVisibleTo(editor)
    editor.field_input("status").set_raw("cancelled")
    assert not checked_in.input.widget.isVisibleTo(editor)
