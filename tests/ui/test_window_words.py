"""The window speaks a person's words: no command lines, no developer terms, no carried-over filter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.i18n import set_language
from relay_app.services import Services
from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import type_text


def test_the_languages_filter_of_one_record_is_not_carried_to_the_next(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """Enter opens the first partner; "fren" is typed in the Languages filter box, which hides all
    but French. Then the second partner is opened the same way: its filter is empty and every
    language shows, not a list cut down by a filter typed for another record."""
    records = services.records("partners")
    first = records.create(factories.partner(name="Agro Sahel")).id
    second = records.create(factories.partner(name="Terres Vives")).id
    window.changes.records_changed.emit("partners")  # as the editor does after a save
    window.show_view("partners")
    panel = window.panels["partners"]
    languages = panel.editor.field_input("languages")

    qtbot.waitUntil(lambda: panel.select(first))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert panel.is_editing() and panel.editor.record_id == first
    qtbot.mouseClick(languages.filter, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.keyClicks(languages.filter, "fren")  # type: ignore[attr-defined]
    shown = [
        languages.list.item(row).text()  # type: ignore[attr-defined]
        for row in range(languages.list.count())  # type: ignore[attr-defined]
        if not languages.list.item(row).isHidden()  # type: ignore[attr-defined]
    ]
    assert 0 < len(shown) < languages.list.count()  # type: ignore[attr-defined]

    assert panel.select(second)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert panel.is_editing() and panel.editor.record_id == second
    assert languages.filter.text() == ""  # type: ignore[attr-defined]
    hidden = [
        row for row in range(languages.list.count())  # type: ignore[attr-defined]
        if languages.list.item(row).isHidden()  # type: ignore[attr-defined]
    ]
    assert hidden == []


def test_a_partner_typed_but_not_picked_is_flagged_in_plain_words(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """In a new practice, "Agro Sah" is typed in Contributing partner and not picked from the
    list. The field says no record matches what was typed, not that a UUID is expected."""
    services.records("partners").create(factories.partner(name="Agro Sahel"))
    window.show_view("practices")
    panel = window.panels["practices"]
    panel.editor.refresh_references()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert panel.is_editing()
    partner = panel.editor.field_input("partner_id").focus
    qtbot.mouseClick(partner, Qt.MouseButton.LeftButton)
    type_text(qtbot, partner, "Agro Sah")

    message = panel.editor.error_text("partner_id")
    assert "Contributing partner" in message and "“Agro Sah”" in message
    assert "UUID" not in message and "identifier" not in message


def test_a_file_link_waiting_in_the_outbox_is_named_as_such_in_every_language(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    """A partner with a logo waits to sync: the outbox lists the partner and its file link.
    The Kind column names the link "File link" (in English; through the catalog in French and
    Spanish), never the store's word "attachments"."""
    record = services.records("partners").create(factories.partner(name="Agro Sahel"))
    files = RecordFileService(
        services.database, AttachmentStore(services.paths.attachments), services.device_id
    )
    stored = files.store.put_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    files.link("partners", record.id, "logo", stored, "image/png", filename="logo.png")
    page = window.sync_page
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "sync"
    page.refresh_outbox()
    kinds = {row.kind for row in page.outbox.rows}
    assert kinds == {"partners", "attachments"}
    try:
        for language in ("en", "fr", "es"):
            set_language(language)
            shown = [page.outbox.data(page.outbox.index(row, 1)) for row in range(page.outbox.rowCount())]
            assert "attachments" not in shown, language
            if language == "en":
                assert sorted(shown) == ["File link", "Partner"]
    finally:
        set_language("en")
