"""Start the desktop application."""

from __future__ import annotations

import os
import sys

from relay_app.config import Paths


def run_app(paths: Paths, argv: list[str] | None = None, language: str | None = None) -> int:
    """Open the services on ``paths`` and show the main window until the user quits.

    A database that cannot be opened gets a window saying what is wrong and offering to restore
    the latest backup, to open another data folder, or to quit (exit code 1).

    ``language`` is an explicit choice (``--lang`` or ``RELAY_LANG``); it wins over the one saved in
    Settings, which wins over the system's. Restoring a backup from Settings closes the window;
    the backup is put in place here, with the store closed, and a new window opens on it.
    """
    from PySide6.QtWidgets import QApplication

    from relay_app.config import LANGUAGE_VARIABLE
    from relay_app.i18n import set_language
    from relay_app.log_file import start_log
    from relay_app.ui.icons import app_icon
    from relay_app.ui.language import install_qt_translations, language_signal
    from relay_app.ui.main_window import MainWindow
    from relay_app.ui.operations import wait_for_writer
    from relay_app.ui.restore_restart import dispose, restore_closed_store, tell_restore_outcome
    from relay_app.ui.settings import UiSettings
    from relay_app.ui.store_problem import open_or_ask
    from relay_app.ui.welcome import offer_welcome

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
    opened = open_or_ask(paths)  # a damaged store gets a window that says so, not a stderr line
    outcome: tuple[bool, str] | None = None
    while True:  # once, unless the person restores a backup: then again on the restored store
        if opened is None:
            return 1
        opened_paths, services = opened
        start_log(opened_paths)  # for support: this start, and any error nobody caught
        if opened_paths != paths:
            settings = UiSettings(opened_paths)  # another data folder was chosen: its own preferences
        with services:
            window = MainWindow(services, settings)
            window.show()
            offer_welcome(window, services)  # a fresh store: what Relay is for, enrol or start offline
            if outcome is not None:
                tell_restore_outcome(window, *outcome)
            code = app.exec()
            wait_for_writer()
        backup = window.restore_on_close
        dispose(window)
        if backup is None:
            return code
        outcome = restore_closed_store(opened_paths, backup)
        opened = open_or_ask(opened_paths)
