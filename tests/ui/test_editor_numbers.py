"""Numbers typed in the shown practice editor, key by key, in English, French and Spanish.

Tried: typing "2,5" (and "2.5") into a number box and saving with Ctrl+S stores 2.5 in every
language; a record whose numbers the box shows with thousands (1234, 12345.5) saves back
unchanged when opened and saved again; an ambiguous "1,234" in English is flagged inline and
the save is refused.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import type_text


def _open(window: MainWindow, services: Services, **values: object) -> tuple[str, RecordEditor]:
    record = services.records("practices").create(factories.practice(**values))
    panel = window.panels["practices"]
    window.show_view("practices")
    panel.editor.start_edit(services.records("practices").get(record.id))
    panel.right.setCurrentWidget(panel.editor)
    return record.id, panel.editor


def _type_into(qtbot: QtBot, editor: RecordEditor, name: str, text: str) -> None:
    box = editor.field_input(name).focus
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_Delete)
    type_text(qtbot, box, text)


def _save(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("typed", ["2,5", "2.5"])
def test_a_decimal_comma_or_point_typed_in_the_editor_is_saved(
    window: MainWindow, services: Services, qtbot: QtBot, language: str, typed: str
) -> None:
    window.switch_language(language)
    record_id, editor = _open(window, services, area_ha=10.0)

    _type_into(qtbot, editor, "area_ha", typed)
    assert editor.rows["area_ha"].error.text() == ""
    _save(qtbot, window)

    practices = services.records("practices")
    qtbot.waitUntil(lambda: practices.get(record_id).values["area_ha"] == 2.5)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_numbers_shown_in_the_editor_save_back_unchanged(
    window: MainWindow, services: Services, qtbot: QtBot, language: str
) -> None:
    window.switch_language(language)
    record_id, editor = _open(window, services, area_ha=1234.0, soc_before_t_ha=12.345)
    _type_into(qtbot, editor, "summary", "Seen again")
    _save(qtbot, window)

    practices = services.records("practices")
    qtbot.waitUntil(lambda: practices.get(record_id).values["summary"] == "Seen again")
    assert practices.get(record_id).values["area_ha"] == 1234.0
    assert practices.get(record_id).values["soc_before_t_ha"] == 12.345


def test_an_ambiguous_number_is_flagged_and_the_save_refused(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    record_id, editor = _open(window, services, area_ha=10.0)

    _type_into(qtbot, editor, "area_ha", "1,234")
    message = editor.rows["area_ha"].error.text()
    assert "1,234" in message and "1234" in message and "1.234" in message
    _save(qtbot, window)

    assert editor.is_dirty() and services.records("practices").get(record_id).values["area_ha"] == 10.0
