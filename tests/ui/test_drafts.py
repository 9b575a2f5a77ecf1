"""No lost work: drafts survive a crash, and closing with unsaved changes asks first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.services.drafts import DraftStore
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import answer_next_dialog
from tests.ui.crashing_editor import TYPED_NAME

REPO = Path(__file__).resolve().parents[2]


def test_draft_is_offered_and_restored_after_a_crash(
    paths: Paths, services: Services, make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.crashing_editor", str(paths.data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "DRAFTED"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    window = make_window()
    banner = window.drafts_banner
    assert banner.isVisible()
    assert "1 draft" in banner.message.text()
    banner.restore_button.click()
    panel = window.panels["partners"]
    assert window.current_panel() is panel
    assert panel.is_editing()
    assert panel.editor.field_input("name").raw() == TYPED_NAME
    assert panel.editor.field_input("city").raw() == "Kaolack"
    assert panel.editor.is_dirty()
    assert not banner.isVisible()

    for name, value in factories.partner(name=TYPED_NAME, city="Kaolack").items():
        panel.editor.field_input(name).set_raw(value)
    panel.save()
    qtbot.waitUntil(lambda: services.records("partners").count() == 1)
    qtbot.waitUntil(lambda: DraftStore(paths.drafts).all() == [])
    assert services.records("partners").list()[0].values["name"] == TYPED_NAME


def test_draft_is_written_when_focus_leaves_a_field(
    window: MainWindow, paths: Paths, qtbot: QtBot
) -> None:
    panel = window.panels["partners"]
    panel.new_record()
    name = panel.editor.field_input("name")
    assert isinstance(name.focus, QLineEdit)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    name.focus.setFocus()
    qtbot.keyClicks(name.focus, "Sahel Soils")
    assert DraftStore(paths.drafts).all() == []  # the timer has not run yet
    panel.editor.field_input("acronym").focus.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.editor.field_input("acronym").focus)
    drafts = DraftStore(paths.drafts).all()
    assert [draft.values["name"] for draft in drafts] == ["Sahel Soils"]
    # Discarding the work removes its draft.
    panel.editor.discard()
    assert DraftStore(paths.drafts).all() == []


def test_closing_with_unsaved_changes_asks(
    make_window: Callable[[], MainWindow], paths: Paths, services: Services, qtbot: QtBot
) -> None:
    window = make_window()
    panel = window.panels["partners"]
    panel.new_record()
    panel.editor.field_input("name").set_raw("Unsaved partner")
    panel.editor.save_draft()

    said = answer_next_dialog("Cancel")
    assert window.close() is False
    assert window.isVisible()
    assert "unsaved changes" in said[0]

    answer_next_dialog("Save")
    window.close()  # the save is refused (required fields missing): the window stays
    assert window.isVisible()
    assert "required" in panel.editor.error_text("kind")

    answer_next_dialog("Discard changes")
    assert window.close() is True
    assert DraftStore(paths.drafts).all() == []
    assert services.records("partners").count() == 0


def test_leaving_an_edited_record_for_another_asks(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    first = services.records("partners").create(factories.partner(name="First"))
    second = services.records("partners").create(factories.partner(name="Second"))
    panel = window.panels["partners"]
    panel.apply_query()
    panel.select(first.id)
    panel.edit_selected()
    panel.editor.field_input("city").set_raw("Touba")
    answer_next_dialog("Discard changes")
    panel.select(second.id)
    assert not panel.is_editing()
    assert "Second" in panel.detail.toPlainText()
    assert services.records("partners").get(first.id).values["city"] == "Dakar"


def test_escape_leaves_an_untouched_editor(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.panels["partners"]
    panel.new_record()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    name = panel.editor.field_input("name").focus
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_Escape)
    assert not panel.is_editing()
