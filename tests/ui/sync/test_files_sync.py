"""Files in the Sync view against a real server: the data saver, "Sync files now", "Download now".

Another relay adds a partner with its logo and syncs; this window's device receives the link
first and the logo's bytes only when the data saver lets them through, or a person asks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from relay_app.services import Services
from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.sync.data_saver import read_data_saver
from relay_app.sync.progress import SyncSummary
from relay_app.ui.main_window import MainWindow
from relay_app.ui.records.panel import RecordPanel
from relay_app.ui.sync.missing_files import not_downloaded_text
from tests.sync.conftest import Relay
from tests.sync.records import partner
from tests.ui.sync.conftest import SYNC_SECONDS, press_sync_now


@dataclass(frozen=True)
class SharedLogo:
    partner_id: str
    sha256: str


def _png(side: int) -> bytes:
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("#33691e"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def _partner_with_logo_from(other: Relay) -> SharedLogo:
    """A partner and its logo made on another relay, synced to the server with their bytes."""
    services = other.services
    record = services.records("partners").create(partner(1, name="Sahel Agroécologie"))
    files = RecordFileService(
        services.database, AttachmentStore(services.paths.attachments), services.device_id
    )
    stored = files.store.put_bytes(_png(64))
    files.link("partners", record.id, "logo", stored, "image/png", filename="logo.png")
    summary = other.sync()
    assert summary.in_sync and summary.files_uploaded == 1
    return SharedLogo(record.id, stored.sha256)


def _logo_path(services: Services, logo: SharedLogo) -> Path:
    return AttachmentStore(services.paths.attachments).path_for(logo.sha256)


def _turn_data_saver_on(window: MainWindow, services: Services, qtbot: QtBot) -> None:
    box = window.sync_page.files.data_saver
    assert not box.isChecked() and not read_data_saver(services.database)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: read_data_saver(services.database))
    assert box.isChecked()


def _sync_files_now(qtbot: QtBot, window: MainWindow) -> SyncSummary:
    page = window.sync_page
    with qtbot.waitSignal(page.runner.finished, timeout=SYNC_SECONDS * 1000) as ended:
        qtbot.keyClick(
            window,
            Qt.Key.Key_F5,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    summary: SyncSummary = ended.args[0]
    return summary


def _open_partner(window: MainWindow, record_id: str) -> RecordPanel:
    window.show_view("partners")
    panel = window.panels["partners"]
    assert panel.select(record_id)
    return panel


def test_the_data_saver_check_box_is_stored_and_shown_again(
    enrolled_window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    page = enrolled_window.sync_page
    assert "records first" in page.files.note.text()
    _turn_data_saver_on(enrolled_window, services, qtbot)
    page.files.show_data_saver(False)  # what the screen says is read back from the store
    page.refresh()
    assert page.files.data_saver.isChecked()

    qtbot.mouseClick(page.files.data_saver, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not read_data_saver(services.database))


def test_with_the_data_saver_records_sync_and_the_logo_waits_for_sync_files_now(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    window, page = enrolled_window, enrolled_window.sync_page
    logo = _partner_with_logo_from(make_relay("other"))
    _turn_data_saver_on(window, services, qtbot)
    phases: list[str] = []
    page.runner.progressed.connect(lambda step: phases.append(step.phase.value))

    summary = press_sync_now(qtbot, window)

    assert summary.in_sync and summary.pulled >= 2  # the partner and its logo's link
    assert services.records("partners").get(logo.partner_id).values["name"] == "Sahel Agroécologie"
    assert (summary.files_to_download, summary.files_held_back) == (1, True)
    assert not _logo_path(services, logo).exists()
    assert "downloading" not in phases
    assert "1 file waits for a good link or for Sync files now (data saver)." in page.result.text()

    assert page.files.sync_files_button.isEnabled()
    assert page.sync_files_action.shortcut().toString() == "Ctrl+Shift+F5"
    summary = _sync_files_now(qtbot, window)

    assert summary.files_downloaded == 1 and summary.files_to_download == 0
    path = _logo_path(services, logo)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == logo.sha256
    assert "downloading" in phases
    assert "1 file downloaded." in page.result.text()
    assert read_data_saver(services.database)  # asking once does not turn the saver off


def test_download_now_next_to_a_missing_logo_fetches_it(
    enrolled_window: MainWindow,
    services: Services,
    qtbot: QtBot,
    make_relay: Callable[..., Relay],
) -> None:
    window = enrolled_window
    logo = _partner_with_logo_from(make_relay("other"))
    _turn_data_saver_on(window, services, qtbot)
    assert press_sync_now(qtbot, window).files_held_back

    panel = _open_partner(window, logo.partner_id)
    detail = panel.detail
    assert not_downloaded_text() in detail.toPlainText()
    assert detail.missing_bar.isVisible()
    assert detail.missing_bar.label.text() == "1 file is not downloaded yet."
    panel.edit_selected()
    box = panel.editor.file_boxes["logo"]
    assert [file.sha256 for file in box.missing_files()] == [logo.sha256]
    assert box.grid.item(0).toolTip() == "logo.png: Not downloaded yet"
    assert box.missing_bar.isVisible()
    assert box.open_file(box.files()[0].id) is False  # says so, and raises nothing
    assert "not downloaded yet" in box.message.text()

    with qtbot.waitSignal(window.sync_page.runner.finished, timeout=SYNC_SECONDS * 1000) as ended:
        qtbot.mouseClick(box.missing_bar.download_button, Qt.MouseButton.LeftButton)
    assert ended.args[0].files_downloaded == 1
    qtbot.waitUntil(lambda: box.missing_files() == [])
    assert not box.missing_bar.isVisible()
    assert box.grid.item(0).toolTip() == "logo.png"
    assert _logo_path(services, logo).is_file()

    panel.cancel_editing()
    qtbot.waitUntil(lambda: not_downloaded_text() not in detail.toPlainText())
    assert not detail.missing_bar.isVisible()
    assert "logo.png" in detail.toPlainText()
