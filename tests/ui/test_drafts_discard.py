"""Drafts left by a crash are the only copy of that work: discarding them asks first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services.drafts import DraftStore, new_draft_key
from relay_app.ui.main_window import MainWindow
from tests import factories
from tests.ui.conftest import answer_next_dialog


def test_discard_drafts_asks_with_their_number_and_keep_keeps_them(
    paths: Paths, make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    """Before, one click on "Discard drafts" deleted them at once, with no question."""
    store = DraftStore(paths.drafts)
    for name in ("Coopérative des sols vivants", "Soil Health Trust"):
        store.save(new_draft_key("partners"), "partners", None, factories.partner(name=name))
    window = make_window()
    banner = window.drafts_banner
    assert banner.isVisible() and "2 drafts" in banner.message.text()

    said = answer_next_dialog("Keep", with_details=True)
    qtbot.mouseClick(banner.discard_button, Qt.MouseButton.LeftButton)
    assert said and said[0].startswith("Discard 2 drafts?")
    assert "lost for good" in said[0]
    assert len(store.all()) == 2
    assert banner.isVisible()

    said = answer_next_dialog("Discard")
    qtbot.mouseClick(banner.discard_button, Qt.MouseButton.LeftButton)
    assert said == ["Discard 2 drafts?"]
    assert store.all() == []
    assert not banner.isVisible()
