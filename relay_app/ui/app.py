"""Start the desktop application."""

from __future__ import annotations

import os
import sys

from relay_app.config import Paths


def run_app(paths: Paths, argv: list[str] | None = None, language: str | None = None) -> int:
    """Open the services on ``paths`` and show the main window until the user quits.

    ``language`` is an explicit choice (``--lang`` or ``RELAY_LANG``); it wins over the one saved in
    Settings, which wins over the system's.
    """
    from PySide6.QtWidgets import QApplication

    from relay_app.config import LANGUAGE_VARIABLE
    from relay_app.i18n import set_language
    from relay_app.services import open_services
    from relay_app.ui.icons import app_icon
    from relay_app.ui.language import install_qt_translations, language_signal
    from relay_app.ui.main_window import MainWindow
    from relay_app.ui.operations import wait_for_writer
    from relay_app.ui.settings import UiSettings

    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv)
    )
    app.setApplicationName("Relay")
    app.setOrganizationName("4p1000")
    app.setWindowIcon(app_icon())
    settings = UiSettings(paths)
    language_signal()  # listen before the first switch, so Qt's own texts follow it too
    explicit = language or os.environ.get(LANGUAGE_VARIABLE)
    if explicit:
        set_language(explicit)
    elif settings.language:
        set_language(settings.language)
    install_qt_translations()
    with open_services(paths) as services:
        window = MainWindow(services, settings)
        window.show()
        code = app.exec()
        wait_for_writer()
        return code
