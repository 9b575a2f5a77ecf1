"""The start-up window for a database that cannot be opened: what is wrong, and three ways on.

Shown instead of the main window when ``open_services`` raises ``StoreProblem`` (an emptied, damaged,
missing or read-only database where a store lived before). It offers to restore the latest backup,
to open another data folder, or to quit. The damaged file is never changed: a restore moves it into
``set-aside/`` and puts a copy of the backup in its place.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.config import DATABASE_FILE, Paths, resolve_paths
from relay_app.formatting import format_datetime
from relay_app.i18n import _
from relay_app.services import Services, open_services
from relay_app.store.backups import RestoreRefused, restore
from relay_app.store.health import RESTORE_COMMAND, StoreProblem
from relay_app.ui.unlock import unlock_or_ask


class Choice(StrEnum):
    RESTORE = "restore"
    OTHER_FOLDER = "other_folder"
    QUIT = "quit"


class StoreProblemDialog(QDialog):
    """Says what is wrong with the database in words; ``choice`` and ``folder`` say what to do."""

    def __init__(self, problem: StoreProblem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = problem
        self.choice = Choice.QUIT
        self.folder: Path | None = None
        self.setWindowTitle(_("Relay cannot open its data"))
        self.setMinimumWidth(520)

        self.heading = QLabel(problem.describe())
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.details = QLabel(self._details())
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.restore_button = QPushButton(_("Restore latest backup"))
        self.restore_button.setEnabled(problem.latest_backup is not None)
        self.other_button = QPushButton(_("Open another data folder…"))
        self.quit_button = QPushButton(_("Quit"))
        self.restore_button.clicked.connect(lambda: self._choose(Choice.RESTORE))
        self.other_button.clicked.connect(self._choose_folder)
        self.quit_button.clicked.connect(self.reject)  # Escape and the close box mean Quit too
        (self.restore_button if self.restore_button.isEnabled() else self.other_button).setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addLayout(buttons)

    def _details(self) -> str:
        backup = self.problem.latest_backup
        paths = self.problem.paths
        if backup is None:
            return _("Relay has not changed anything. There is no backup in {folder}.").format(
                folder=paths.backups
            )
        return _(
            "Relay has not changed anything. The latest backup was taken on {time}: {file}. "
            "Restoring it moves the current file into {folder}; nothing is deleted. "
            "In a terminal: “{command}”."
        ).format(
            time=format_datetime(backup.taken_at),
            file=backup.path,
            folder=paths.set_aside,
            command=RESTORE_COMMAND,
        )

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Open another data folder"), str(self.problem.paths.data_dir.parent)
        )
        if not chosen:
            return
        folder = Path(chosen)
        if not (folder / DATABASE_FILE).exists() and not _confirm_new_store(self, folder):
            return  # a folder picked by mistake must not fill up with Relay's files
        self.folder = folder
        self._choose(Choice.OTHER_FOLDER)


def _confirm_new_store(parent: QWidget, folder: Path) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Open another data folder"))
    box.setText(_("There is no Relay data in {folder}.").format(folder=folder))
    box.setInformativeText(_("Start a new, empty store there?"))
    start = box.addButton(_("Start a new store"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is start


def open_or_ask(paths: Paths, parent: QWidget | None = None) -> tuple[Paths, Services] | None:
    """Open the store of ``paths``; while it cannot be opened, ask what to do. None means Quit.

    An encrypted store asks for its passphrase first (``ui/unlock.py``).
    """
    while True:
        if not unlock_or_ask(paths, parent):
            return None
        try:
            return paths, open_services(paths)
        except StoreProblem as problem:
            dialog = StoreProblemDialog(problem, parent)
            dialog.exec()
            if dialog.choice is Choice.QUIT:
                return None
            if dialog.choice is Choice.OTHER_FOLDER and dialog.folder is not None:
                paths = resolve_paths(dialog.folder)
            elif problem.latest_backup is not None:
                _restore(parent, paths, problem.latest_backup.path)


def _restore(parent: QWidget | None, paths: Paths, backup: Path) -> None:
    try:
        restore(paths, backup)
    except (RestoreRefused, OSError) as error:
        reason = _("The backup was not restored: {reason}").format(reason=error)
        QMessageBox.warning(parent, _("Restore latest backup"), reason)
