"""The sync's own preferences, kept in the window's ``ui.ini`` under ``sync/``."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from relay_app.config import Paths
from relay_app.ui.settings import SETTINGS_FILE


class SyncPreferences:
    def __init__(self, paths: Paths) -> None:
        self._store = QSettings(str(paths.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)

    @property
    def automatic(self) -> bool:
        """Sync in the background when there is something to exchange (on unless turned off)."""
        value = self._store.value("sync/automatic", True)
        return value not in (False, "false", "0", 0)

    @automatic.setter
    def automatic(self, on: bool) -> None:
        self._store.setValue("sync/automatic", bool(on))
        self._store.sync()
