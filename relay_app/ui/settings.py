"""The UI's own preferences (geometry, last view, language, first run) in an ini file in the data dir.

Keeping them next to the database, not in the platform's registry, means one data dir is one
installation: tests get their own file and a copied data dir carries its preferences along.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from relay_app.config import Paths

SETTINGS_FILE = "ui.ini"
DEFAULT_MAX_IMAGE_SIDE = 2048
DEFAULT_LOCK_MINUTES = 15


class UiSettings:
    def __init__(self, paths: Paths) -> None:
        self._store = QSettings(str(paths.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)

    def _text(self, key: str) -> str | None:
        value = self._store.value(key)
        return str(value) if value not in (None, "") else None

    @property
    def language(self) -> str | None:
        return self._text("ui/language")

    @language.setter
    def language(self, code: str) -> None:
        self._store.setValue("ui/language", code)

    @property
    def last_view(self) -> str | None:
        return self._text("window/last_view")

    @last_view.setter
    def last_view(self, name: str) -> None:
        self._store.setValue("window/last_view", name)

    @property
    def geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def max_image_side(self) -> int:
        """Longest side, in pixels, photos are scaled down to before they are stored."""
        try:
            value = int(str(self._store.value("files/max_image_side", DEFAULT_MAX_IMAGE_SIDE)))
        except ValueError:
            return DEFAULT_MAX_IMAGE_SIDE
        return value if value >= 64 else DEFAULT_MAX_IMAGE_SIDE

    @max_image_side.setter
    def max_image_side(self, pixels: int) -> None:
        self._store.setValue("files/max_image_side", int(pixels))

    @property
    def welcome_shown(self) -> bool:
        """Whether the first-run welcome was shown: it is offered once per data folder."""
        return str(self._store.value("ui/welcome_shown", "false")).lower() == "true"

    @welcome_shown.setter
    def welcome_shown(self, shown: bool) -> None:
        self._store.setValue("ui/welcome_shown", "true" if shown else "false")

    @property
    def lock_after_minutes(self) -> int:
        """Minutes without use before an encrypted store's window locks; 0 for never."""
        try:
            value = int(str(self._store.value("security/lock_after_minutes", DEFAULT_LOCK_MINUTES)))
        except ValueError:
            return DEFAULT_LOCK_MINUTES
        return value if value >= 0 else DEFAULT_LOCK_MINUTES

    @lock_after_minutes.setter
    def lock_after_minutes(self, minutes: int) -> None:
        self._store.setValue("security/lock_after_minutes", int(minutes))

    def sync(self) -> None:
        self._store.sync()
