"""The check-in desk with real widgets: type, Enter, Ctrl+Z, walk-ins and the attendance export."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from relay_app.i18n import set_language
from relay_app.services import Services
from relay_app.store.models import Forum as ForumRow
from relay_app.sync.apply import apply_page
from relay_app.sync.wire import PullItem, PullResponse
from relay_app.transfer import FileFormat
from relay_app.ui.checkin import CheckInDesk
from relay_app.ui.checkin.attendance_file import with_export_suffix
from relay_app.ui.checkin.attendees_model import CHECKED_IN_COLUMN, STATUS_COLUMN
from relay_app.ui.checkin.participant_list import SEARCH_ROWS
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import answer_next_dialog, type_text


@dataclass(frozen=True)
class Forum:
    id: str
    awa: str
    helene: str
    jean: str  # cancelled


@pytest.fixture
def forum(services: Services) -> Forum:
    forum_id = services.records("forums").create(factories.forum(capacity=80)).id
    registrations = services.records("registrations")
    awa = registrations.create(factories.registration(forum_id)).id
    helene = registrations.create(
        factories.registration(
            forum_id, first_name="Hélène", last_name="Dépré", email="h@example.org"
        )
    ).id
    jean = registrations.create(
        factories.registration(
            forum_id, first_name="Jean", last_name="Diouf", email="jd@example.org",
            status="cancelled"
        )
    ).id
    return Forum(forum_id, awa, helene, jean)


@pytest.fixture
def desk(forum: Forum, window: MainWindow, qtbot: QtBot) -> CheckInDesk:
    window.show_view("forums")
    window.forums_page.setCurrentWidget(window.forums_page.desk)
    desk = window.forums_page.desk
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(desk.search.hasFocus)  # the search box is ready on opening
    assert desk.forum_id() == forum.id
    return desk


def _names(desk: CheckInDesk) -> list[str]:
    return [desk.model.index(row, 0).data() for row in range(desk.model.rowCount())]


def _checked_in_cell(desk: CheckInDesk, registration_id: str) -> str:
    row = desk.model.row_of(registration_id)
    assert row is not None
    return desk.model.index(row, CHECKED_IN_COLUMN).data()


def _checked_in_at(services: Services, registration_id: str) -> object:
    """As the check-in log says (the registration itself is never edited by the desk)."""
    return services.check_ins.attendee(registration_id).checked_in_at


def _walk_in(desk: CheckInDesk, qtbot: QtBot, first_name: str, last_name: str) -> None:
    dialog = desk.walk_in()
    assert dialog is not None
    editor = dialog.editor
    qtbot.waitUntil(editor.field_input("first_name").focus.hasFocus)
    type_text(qtbot, editor.field_input("first_name").focus, first_name)
    editor.field_input("last_name").set_raw(last_name)
    editor.field_input("role").set_raw("researcher")
    editor.field_input("consent").set_raw(True)
    editor.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_type_a_name_press_enter_and_the_person_is_in(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    assert desk.counter.text() == "0 of 2 checked in"
    assert desk.capacity.text() == "Capacity: 80"
    assert _checked_in_cell(desk, forum.helene) == ""
    type_text(qtbot, desk.search, "hele")  # no accent typed: Hélène is found
    assert _names(desk) == ["Hélène Dépré"]
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 2 checked in")
    assert _checked_in_cell(desk, forum.helene) != ""
    assert _checked_in_at(services, forum.helene) is not None
    assert _checked_in_at(services, forum.awa) is None
    assert desk.toast.message.text() == "Checked in: Hélène Dépré"
    assert desk.search.selectedText() == "hele"  # the next name typed replaces it


def test_the_head_count_after_each_scan_agrees_with_a_recount_and_other_views_hear_of_it(
    desk: CheckInDesk, window: MainWindow, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    """The desk counts an arrival from the scan it just wrote; a full recount must say the same."""
    heard: list[str] = []
    window.changes.records_changed.connect(heard.append)
    for typed, expected in (("awa", "1 of 2 checked in"), ("hele", "2 of 2 checked in")):
        desk.search.clear()
        type_text(qtbot, desk.search, typed)
        qtbot.keyClick(desk.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda expected=expected: desk.counter.text() == expected)
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)  # Hélène's badge scanned again: nobody more
    qtbot.waitUntil(lambda: desk.toast.message.text().startswith("Hélène Dépré is already checked in"))
    assert desk.counter.text() == "2 of 2 checked in"
    assert heard.count("checkins") == 2  # the registrations list and the sync badge still refresh
    recount = services.check_ins.counts(forum.id)
    assert (recount.checked_in, recount.registered) == (2, 2)
    desk.refresh(counts=True)
    assert desk.counter.text() == "2 of 2 checked in"
    assert _checked_in_cell(desk, forum.helene) != ""


def test_ctrl_z_undoes_the_last_check_in_not_a_delete(
    desk: CheckInDesk, window: MainWindow, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    type_text(qtbot, desk.search, "ndi")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _checked_in_at(services, forum.awa) is not None)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 2 checked in")
    qtbot.keyClick(desk.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.counter.text() == "0 of 2 checked in")
    assert _checked_in_at(services, forum.awa) is None
    assert _checked_in_cell(desk, forum.awa) == ""
    assert desk.search.text() == "ndi"  # Ctrl+Z went to the desk, not to the text box's undo
    assert desk.toast.message.text() == "Check-in undone: Awa Ndiaye"
    assert not window.panels["registrations"].toast.isVisible()


def test_the_undo_button_is_offered_as_soon_as_a_check_in_is_stored(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    assert not desk.undo_button.isEnabled()  # nothing checked in at this desk yet
    type_text(qtbot, desk.search, "ndi")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 2 checked in")
    assert desk.undo_button.isEnabled()
    QTest.mouseClick(desk.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.counter.text() == "0 of 2 checked in")
    assert _checked_in_at(services, forum.awa) is None
    assert not desk.undo_button.isEnabled()  # the one check-in made here is undone


def test_space_in_the_list_checks_in_and_typing_there_searches(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    desk.table.setFocus()
    qtbot.keyClicks(desk.table, "awa")  # typed into the list: it goes to the search box
    assert desk.search.text() == "awa" and desk.search.hasFocus()
    assert _names(desk) == ["Awa Ndiaye"]
    desk.table.setFocus()
    qtbot.keyClick(desk.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _checked_in_at(services, forum.awa) is not None)


def test_a_cancelled_registration_is_refused_at_the_desk(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    type_text(qtbot, desk.search, "diouf")
    assert _names(desk) == ["Jean Diouf"]
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.toast.message.text().startswith("Not checked in:"))
    assert "cancelled" in desk.toast.message.text()
    assert _checked_in_at(services, forum.jean) is None
    assert desk.counter.text() == "0 of 2 checked in"


def test_export_writes_the_attendance_with_its_check_in_column(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot, tmp_path: Path
) -> None:
    type_text(qtbot, desk.search, "awa")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 2 checked in")

    target = tmp_path / "attendance.csv"
    operation = desk.export_attendance(target)
    assert operation is not None
    qtbot.waitUntil(lambda: operation.finished)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["last_name"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"Ndiaye", "Dépré", "Diouf"}
    assert rows["Ndiaye"]["checked_in_at"] != "" and rows["Ndiaye"]["checked_in_by"] != ""
    assert rows["Dépré"]["checked_in_at"] == ""
    assert desk.toast.message.text() == "3 registrations written to attendance.csv."

    workbook_path = tmp_path / "attendance.xlsx"
    operation = desk.export_attendance(workbook_path)
    assert operation is not None
    qtbot.waitUntil(lambda: operation.finished)
    sheet = load_workbook(workbook_path).active
    header = [cell.value for cell in sheet[1]]
    checked = header.index("checked_in_at")
    last_name = header.index("last_name")
    values = {row[last_name]: row[checked] for row in sheet.iter_rows(2, values_only=True)}
    assert values["Ndiaye"] and not values["Dépré"]


def test_walk_in_registration_opens_the_editor_on_this_forum(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    qtbot.keyClick(desk.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = desk._walk_in
    assert dialog is not None and dialog.isVisible()
    editor = dialog.editor
    assert editor.field_input("forum_id").raw() == forum.id
    qtbot.waitUntil(editor.field_input("first_name").focus.hasFocus)
    type_text(qtbot, editor.field_input("first_name").focus, "Ousmane")
    editor.field_input("last_name").set_raw("Ba")
    editor.field_input("role").set_raw("researcher")
    editor.field_input("consent").set_raw(True)
    editor.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: desk.counter.text() == "0 of 3 checked in")
    person = desk.selected()
    assert person is not None and person.name == "Ousmane Ba" and person.forum_id == forum.id
    window = desk.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    desk.search.setFocus()
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 3 checked in")
    assert _checked_in_at(services, person.id) is not None


def test_walk_in_left_untouched_closes_without_a_question(desk: CheckInDesk, qtbot: QtBot) -> None:
    dialog = desk.walk_in()
    assert dialog is not None
    qtbot.keyClick(dialog.editor.field_input("first_name").focus, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert QApplication.activeModalWidget() is None


def test_the_list_follows_edits_made_elsewhere(
    desk: CheckInDesk, services: Services, forum: Forum, window: MainWindow, qtbot: QtBot
) -> None:
    services.check_ins.check_in(forum.awa, by="Desk 2")
    window.changes.records_changed.emit("registrations")  # as after a sync
    assert desk.counter.text() == "1 of 2 checked in"
    assert _checked_in_cell(desk, forum.awa) != ""


def test_walk_in_with_typed_details_asks_before_closing(desk: CheckInDesk, qtbot: QtBot) -> None:
    dialog = desk.walk_in()
    assert dialog is not None
    first_name = dialog.editor.field_input("first_name").focus
    qtbot.waitUntil(first_name.hasFocus)
    type_text(qtbot, first_name, "Ousmane")
    seen = answer_next_dialog("Discard changes")
    qtbot.keyClick(first_name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert seen and "unsaved changes" in seen[0]
    assert not dialog.editor.is_dirty()


def test_a_language_switch_rewrites_the_forum_dates(desk: CheckInDesk) -> None:
    assert "Mar 10, 2026" in desk.forum.currentText()
    set_language("fr")
    assert "10 mars 2026" in desk.forum.currentText()
    assert desk.forum_id() is not None


def test_the_export_file_gets_the_chosen_format_unless_one_was_typed() -> None:
    assert with_export_suffix(Path("/tmp/list"), FileFormat.XLSX) == Path("/tmp/list.xlsx")
    assert with_export_suffix(Path("/tmp/list.2026"), FileFormat.CSV) == Path("/tmp/list.2026.csv")
    assert with_export_suffix(Path("/tmp/list.XLSX"), FileFormat.CSV) == Path("/tmp/list.XLSX")


def test_a_full_forum_sends_a_walk_in_to_the_waiting_list_and_a_cancellation_promotes(
    desk: CheckInDesk, window: MainWindow, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    """Tried: capacity 2 with Awa and Hélène registered; a walk-in is registered at the desk, then
    Hélène cancels (as the registrations list would save it)."""
    services.records("forums").update(forum.id, {"capacity": 2})
    window.changes.records_changed.emit("forums")
    assert desk.counter.text() == "0 of 2 checked in" and desk.capacity.text() == "Capacity: 2"

    _walk_in(desk, qtbot, "Ousmane", "Ba")
    qtbot.waitUntil(lambda: desk.counter.text() == "0 of 2 checked in · 1 waiting")
    assert desk.toast.message.text() == (
        "The forum is full: Ousmane Ba is on the waiting list, place 1."
    )
    person = desk.selected()
    assert person is not None and person.status == "waitlisted"
    row = desk.model.row_of(person.id)
    assert row is not None
    assert desk.model.index(row, STATUS_COLUMN).data() == "Waiting list, place 1"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    desk.search.setFocus()
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)  # not admitted silently: refused, with why
    qtbot.waitUntil(lambda: desk.toast.message.text().startswith("Not checked in:"))
    assert "waiting list (place 1)" in desk.toast.message.text()

    services.records("registrations").update(forum.helene, {"status": "cancelled"})
    window.changes.records_changed.emit("registrations")
    assert desk.counter.text() == "0 of 2 checked in"
    assert desk.model.index(row, STATUS_COLUMN).data() == "Registered"
    desk.select(person.id)
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 2 checked in")


def test_over_capacity_after_a_sync_says_by_how_many_and_who(
    desk: CheckInDesk, window: MainWindow, services: Services, forum: Forum
) -> None:
    """Two desks each gave away the last place offline: the forum holds more registered people
    than places once both synced (made here by lowering the capacity under the head-count)."""
    assert not desk.over_capacity.isVisible()
    services.records("forums").update(forum.id, {"capacity": 1})
    window.changes.records_changed.emit("forums")
    assert desk.over_capacity.isVisible()
    assert desk.over_capacity.text() == (
        "Over capacity: 2 registered for a capacity of 1 (over by 1). Registered last: Hélène Dépré"
    )


def test_a_free_place_with_people_waiting_is_offered_and_given_with_a_click(
    desk: CheckInDesk, window: MainWindow, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    """The forum is full and Moussa waits; the capacity is then raised elsewhere without the
    promotion a desk would make (as when a place frees on a desk that knew nobody waiting)."""
    services.records("forums").update(forum.id, {"capacity": 2})
    moussa = services.records("registrations").create(
        factories.registration(forum.id, first_name="Moussa", last_name="Ba", email="mb@example.org")
    )
    assert moussa.values["status"] == "waitlisted"
    with services.database.write() as session:  # the place a synced cancellation would free
        session.execute(update(ForumRow).where(ForumRow.id == forum.id).values(capacity=3))
    window.changes.records_changed.emit("forums")
    assert desk.free_places.isVisible()
    assert desk.free_places.message.text() == "1 place is free; waiting list: 1."
    qtbot.mouseClick(desk.free_places.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.free_places.isVisible())
    assert desk.toast.message.text() == "Off the waiting list: Moussa Ba"
    assert services.records("registrations").get(moussa.id).values["status"] == "registered"
    assert desk.counter.text() == "0 of 3 checked in"


def test_the_same_person_admitted_at_two_desks_is_shown_once_and_flagged(
    desk: CheckInDesk, window: MainWindow, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    """Awa is admitted here, and the other laptop's entry for her arrives with a sync."""
    type_text(qtbot, desk.search, "awa")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.counter.text() == "1 of 2 checked in")
    arrived = services.check_ins.attendee(forum.awa).checked_in_at
    assert arrived is not None
    values = {
        "registration_id": forum.awa, "device_id": str(uuid.uuid4()), "device_name": "Laptop B",
        "scanned_at": (arrived + timedelta(minutes=2)).isoformat(), "direction": "entry",
        "offline": True,
    }
    page = PullResponse(
        items=[PullItem(kind="checkins", id=str(uuid.uuid4()), version=1, deleted=False,
                        values=values, change_seq=1)],
        next_cursor="c", has_more=False,
    )
    apply_page(services.database, page, snapshot=False)
    window.changes.records_changed.emit("registrations")  # as the window does after a sync
    assert desk.counter.text() == "1 of 2 checked in"
    cell = _checked_in_cell(desk, forum.awa)
    assert "also admitted at Laptop B at" in cell
    row = desk.model.row_of(forum.awa)
    assert row is not None
    assert desk.model.index(row, CHECKED_IN_COLUMN).data(Qt.ItemDataRole.ForegroundRole)


def test_a_search_matching_half_a_large_forum_shows_the_best_matches_and_says_so(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    """Tried: 210 more people named Sarr in the forum, then one letter typed. The desk lists the
    best 200 at once and says more letters narrow it; the next letters find the one person."""
    registrations = services.records("registrations")
    for number in range(210):
        registrations.create(factories.registration(
            forum.id, first_name=f"Saliou{number:03d}", last_name="Sarr",
            email=f"sarr{number}@example.org",
        ))
    desk.refresh(counts=True)
    type_text(qtbot, desk.search, "s")
    assert desk.model.rowCount() == SEARCH_ROWS
    assert desk.more_hint.isVisible() and "type more letters" in desk.more_hint.text()
    type_text(qtbot, desk.search, "aliou207")
    qtbot.waitUntil(lambda: _names(desk) == ["Saliou207 Sarr"])
    assert not desk.more_hint.isVisible()


def test_tab_leaves_the_list_at_once_and_arrows_move_in_it(desk: CheckInDesk, qtbot: QtBot) -> None:
    """Tried: Tab on the participants list. It goes on to the buttons below, not cell by cell
    through every participant; the arrows still move the selection."""
    desk.table.setFocus()
    qtbot.waitUntil(desk.table.hasFocus)
    desk.table.selectRow(0)
    qtbot.keyClick(desk.table, Qt.Key.Key_Down)
    assert desk.table.selectionModel().selectedRows()[0].row() == 1
    qtbot.keyClick(desk.table, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not desk.table.hasFocus())
    assert desk.isAncestorOf(QApplication.focusWidget())
