"""Badges printed as PDF, read back by a barcode reader, typed into the desk like a USB scanner.

The PDF comes from Qt's writer, is rasterised by poppler's ``pdftoppm`` (PySide6-Essentials has no
QtPdf) and decoded by zxing-cpp; the decoded text is then typed key by key into the desk's search
box followed by Enter, as a scanner in keyboard mode does.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.services.badges import SHEET_LAYOUTS, badge_payload, forum_badges
from relay_app.ui.badges.badge_sheet import render_badges
from relay_app.ui.checkin import CheckInDesk
from relay_app.ui.main_window import MainWindow
from tests import factories

NAMES = [
    ("Émile", "Durand-Ñúñez"),
    ("Maria Fernanda de los Ángeles", "Gutiérrez Villanueva de la Concepción"),
    ("محمد", "العربي"),
    ("Jürgen", "Weiß"),
    ("Awa", "Ndiaye"),
    ("Zoë", "Çelik"),
]


@dataclass(frozen=True)
class Forum:
    id: str
    people: dict[str, str]  # registration id -> last name
    waitlisted: str
    other_forum_person: str


@pytest.fixture
def forum(services: Services) -> Forum:
    forum_id = services.records("forums").create(factories.forum()).id
    other_forum = services.records("forums").create(factories.forum(name="Forum andin")).id
    registrations = services.records("registrations")
    people = {}
    for first, last in NAMES:
        record = registrations.create(factories.registration(forum_id, first_name=first, last_name=last))
        people[record.id] = last
    waitlisted = registrations.create(
        factories.registration(forum_id, first_name="Wait", last_name="Ing", status="waitlisted")
    ).id
    elsewhere = registrations.create(factories.registration(other_forum, first_name="Ana")).id
    return Forum(forum_id, people, waitlisted, elsewhere)


def decode_pdf(path: Path, tmp_path: Path) -> list[str]:
    """Every QR code on every page of ``path``, rasterised at 150 dpi (an office scanner's)."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "pdftoppm (Debian's poppler-utils) is needed: ./dev test installs it"
    subprocess.run([pdftoppm, "-r", "150", "-gray", "-png", str(path), str(tmp_path / "page")], check=True)
    found = []
    for page in sorted(tmp_path.glob("page-*.png")):
        image = QImage(str(page))
        assert not image.isNull()
        found += [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


@pytest.mark.parametrize("layout", sorted(SHEET_LAYOUTS))
def test_badge_pdf_qr_codes_decode_to_the_payloads(
    layout: str, services: Services, forum: Forum, qtbot: QtBot, tmp_path: Path
) -> None:
    """Tried: each sheet layout, with accented, Arabic and very long names. Every code on the
    printed sheets decodes, one per standing registration (the waitlisted one gets no badge)."""
    badges = forum_badges(services.records("registrations"), services.records("forums"), forum.id)
    target = tmp_path / "badges.pdf"
    assert render_badges(target, badges, SHEET_LAYOUTS[layout]) == len(NAMES)
    assert target.read_bytes().startswith(b"%PDF")
    decoded = decode_pdf(target, tmp_path)
    assert sorted(decoded) == sorted(badge_payload(registration_id) for registration_id in forum.people)


@pytest.fixture
def desk(forum: Forum, window: MainWindow, qtbot: QtBot) -> CheckInDesk:
    window.show_view("forums")
    window.forums_page.setCurrentWidget(window.forums_page.desk)
    desk = window.forums_page.desk
    desk.forum.setCurrentIndex(desk.forum.findData(forum.id))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert desk.forum_id() == forum.id
    desk.focus_search()
    return desk


def scan(qtbot: QtBot, desk: CheckInDesk, text: str) -> None:
    """What a USB scanner in keyboard mode does: one key per character, then Enter."""
    desk.focus_search()
    qtbot.keyClicks(desk.search, text)
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)


def _checked_in_at(services: Services, registration_id: str) -> object:
    """When the check-in log says the person arrived (None while they have not)."""
    return services.check_ins.attendee(registration_id).checked_in_at


def test_scanned_badges_check_people_in(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot, tmp_path: Path
) -> None:
    """Tried: the codes decoded from a printed sheet typed into the search box, then Enter. Each
    person is checked in, and no one else: a code is never a search that picks the first row."""
    badges = forum_badges(services.records("registrations"), services.records("forums"), forum.id)
    target = tmp_path / "badges.pdf"
    render_badges(target, badges, SHEET_LAYOUTS["a4-2x5-86x55"])
    decoded = decode_pdf(target, tmp_path)
    by_payload = {badge_payload(registration_id): registration_id for registration_id in forum.people}
    first, second = decoded[0], decoded[1]
    scan(qtbot, desk, first)
    qtbot.waitUntil(lambda: _checked_in_at(services, by_payload[first]) is not None)
    scan(qtbot, desk, second.lower())  # Caps Lock on: the scanner types lower case
    qtbot.waitUntil(lambda: _checked_in_at(services, by_payload[second]) is not None)
    qtbot.waitUntil(lambda: desk.toast.message.text().startswith("Checked in: "))
    checked = [rid for rid in forum.people if _checked_in_at(services, rid) is not None]
    assert sorted(checked) == sorted([by_payload[first], by_payload[second]])


def test_a_waitlisted_or_unknown_or_foreign_badge_is_never_admitted(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot
) -> None:
    """Tried: the badge of a waitlisted registration, a code nobody has, the badge of someone at
    another forum. Each is refused with a message, and nobody is checked in."""
    scan(qtbot, desk, badge_payload(forum.waitlisted))
    qtbot.waitUntil(lambda: desk.toast.message.text().startswith("Not checked in:"))
    assert "waiting list" in desk.toast.message.text()
    scan(qtbot, desk, "RLBBBBBBBBBBBB")
    assert "not known on this computer" in desk.toast.message.text()
    scan(qtbot, desk, badge_payload(forum.other_forum_person))
    assert "another forum" in desk.toast.message.text()
    registrations = services.records("registrations").list()
    assert all(record.values["checked_in_at"] is None for record in registrations)


def test_desk_badges_and_lists_buttons_write_files_and_ask_first(
    desk: CheckInDesk, services: Services, forum: Forum, qtbot: QtBot, tmp_path: Path
) -> None:
    """Tried: badges from the desk twice (the second time answered "No" to the reprint question),
    then the participant list as PDF after a "Yes" to the personal-data question."""
    from relay_app.services.desk_lists import PERSONAL_EXPORTS_LOG, DeskList, ListFormat
    from tests.ui.conftest import answer_next_dialog

    assert desk.badges_button.isEnabled() and desk.lists_button.isEnabled()
    target = tmp_path / "desk-badges.pdf"
    operation = desk.documents.print_badges(forum.id, target, "a4-paper-90x54")
    assert operation is not None
    qtbot.waitUntil(lambda: operation.finished)
    assert desk.toast.message.text() == f"{len(NAMES)} badges written to desk-badges.pdf."
    written = target.stat().st_mtime_ns
    asked = answer_next_dialog("No")
    assert desk.documents.print_badges(forum.id, target, "a4-paper-90x54") is None
    assert "printed before" in asked[0]
    assert target.stat().st_mtime_ns == written

    listing = tmp_path / "participants.pdf"
    asked = answer_next_dialog("Yes")
    operation = desk.documents.export_list(forum.id, DeskList.PARTICIPANTS, ListFormat.PDF, listing)
    assert operation is not None and "personal data" in asked[0]
    qtbot.waitUntil(lambda: operation.finished)
    assert listing.read_bytes().startswith(b"%PDF")
    assert "participants.pdf" in (services.paths.data_dir / PERSONAL_EXPORTS_LOG).read_text(encoding="utf-8")
