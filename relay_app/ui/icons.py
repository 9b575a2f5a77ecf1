"""The application's small SVG icon set (resources/icons), loaded once per name."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from relay_app.resources import icons_dir


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name``; an empty icon when the file is missing, so a menu still works."""
    path = icons_dir() / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    return icon("app")
