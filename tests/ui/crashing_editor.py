"""Run by test_drafts.py in a child process: open the app, type into a new partner, then wait.

The parent kills this process with SIGKILL once the draft is on disk, as a crash or a power cut
would, and checks that the next start offers the work back.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.services.drafts import DraftStore
from relay_app.ui.editor.record_editor import RecordEditor
from relay_app.ui.main_window import MainWindow

TYPED_NAME = "Coopérative des sols vivants"


def main(data_dir: str) -> None:
    RecordEditor.AUTOSAVE_MS = 200  # the crash should not have to wait for the usual interval
    app = QApplication([])
    paths = resolve_paths(data_dir)
    services = open_services(paths)
    window = MainWindow(services)
    window.show()
    panel = window.panels["partners"]
    panel.new_record()
    panel.editor.field_input("name").set_raw(TYPED_NAME)
    panel.editor.field_input("city").set_raw("Kaolack")
    store = DraftStore(paths.drafts)
    while not store.all():
        app.processEvents()
        time.sleep(0.02)
    print("DRAFTED", flush=True)
    while True:  # keep "working" until killed
        app.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1])
