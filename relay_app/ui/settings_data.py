"""Settings ▸ Data and backups: where the data folder is, "Back up now", and "Restore a backup…".

A backup is taken on the database thread (``Operation``), so it waits for any save in progress
and never holds up the window. A restore cannot happen under the open window (``backups.restore``
refuses while the database is in use): after the person confirms, the section asks the window to
close and reopen on the restored store (``restore_requested``; see ``ui/restore_restart.py``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.config import BackupPolicy
from relay_app.formatting import format_datetime
from relay_app.i18n import N_, _
from relay_app.services import Services
from relay_app.store.backups import Backup, list_backups, take_backup
from relay_app.ui.language import language_signal
from relay_app.ui.operations import Operation

REASONS = {
    "manual": N_("made by hand"),
    "daily": N_("first start of the day"),
    "sync": N_("before a sync"),
    "import": N_("before an import"),
}
UPDATE_REASON = N_("before an update of Relay")  # "rev…": taken before a schema migration
BACKUP_ROLE = Qt.ItemDataRole.UserRole


def reason_label(reason: str) -> str:
    if reason in REASONS:
        return _(REASONS[reason])
    return _(UPDATE_REASON) if reason.startswith("rev") else reason


def backup_label(backup: Backup) -> str:
    return _("{time} — {reason}").format(
        time=format_datetime(backup.taken_at), reason=reason_label(backup.reason)
    )


class DataSettings(QGroupBox):
    restore_requested = Signal(object)  # the Backup the person confirmed

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._paths = services.paths
        self._database = services.database.path
        self.backups: list[Backup] = []
        self._message: tuple[str, str] | None = None  # (msgid kind, value) worded again on a switch
        self.folder = QLabel(str(self._paths.data_dir))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        self.folder_label = QLabel()
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_folder)
        self.backups_label = QLabel()
        self.list = QListWidget()
        self.list.setMaximumHeight(180)
        self.backups_label.setBuddy(self.list)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda _item: self.ask_restore())
        self.backup_button = QPushButton()
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.ask_restore)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setWordWrap(True)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        backups = QVBoxLayout()
        backups.addWidget(self.list)
        backups.addLayout(buttons)
        backups.addWidget(self.status)
        form = QFormLayout(self)
        form.addRow(self.folder_label, folder_row)
        form.addRow(self.note)
        form.addRow(self.backups_label, backups)
        language_signal().changed.connect(self.retranslate_ui)
        self.refresh()
        self.retranslate_ui()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()  # syncs and imports take backups while the window is open

    # -- state -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the backups folder again, newest first, keeping the selected one."""
        chosen = self.chosen()
        self.backups = list(reversed(list_backups(self._paths.backups)))
        self.list.clear()
        for backup in self.backups:
            item = QListWidgetItem(backup_label(backup))
            item.setData(BACKUP_ROLE, str(backup.path))
            item.setToolTip(str(backup.path))
            self.list.addItem(item)
        if not self.backups:
            self.list.addItem(QListWidgetItem(_("No backups yet.")))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)  # a note, not a backup to choose
        paths = [backup.path for backup in self.backups]
        if chosen is not None and chosen.path in paths:
            self.list.setCurrentRow(paths.index(chosen.path))
        self._update_buttons()

    def chosen(self) -> Backup | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.data_dir)))

    # -- backup ----------------------------------------------------------------------------------

    def back_up_now(self) -> Operation:
        database = self._database
        self.backup_button.setEnabled(False)
        self._say("working", "")

        def done(backup: Backup) -> None:
            self.backup_button.setEnabled(True)
            self.refresh()
            self.list.setCurrentRow(0)
            self._say("saved", str(backup.path))

        def failed(error: BaseException) -> None:
            self.backup_button.setEnabled(True)
            self._say("failed", str(error))

        return (
            Operation(self, lambda _progress: take_backup(database, "manual"))
            .with_progress(_("Backing up the database…"))
            .success(done)
            .failure(failed)
            .run()
        )

    # -- restore ---------------------------------------------------------------------------------

    def ask_restore(self) -> None:
        backup = self.chosen()
        if backup is None:
            return
        if confirm_restore(self, backup, self._paths.set_aside):
            self.restore_requested.emit(backup)

    # -- language --------------------------------------------------------------------------------

    def _say(self, kind: str, value: str) -> None:
        self._message = (kind, value)
        self._retranslate_status()

    def _retranslate_status(self) -> None:
        if self._message is None:
            self.status.setText("")
            return
        kind, value = self._message
        texts = {
            "working": _("Backing up the database…"),
            "saved": _("Backup saved: {file}").format(file=value),
            "failed": _("The backup failed: {reason}").format(reason=value),
        }
        self.status.setText(texts[kind])

    def retranslate_ui(self) -> None:
        self.setTitle(_("Data and backups"))
        self.folder_label.setText(_("Data folder:"))
        self.open_button.setText(_("&Open folder"))
        self.open_button.setToolTip(_("Show the data folder in the file manager"))
        policy = BackupPolicy.from_environment()
        self.note.setText(
            _(
                "Relay takes a backup at the first start of each day, before each import and "
                "before each sync you start. It keeps the newest {count} and the newest of each of "
                "the last {days} days."
            ).format(count=policy.keep_last, days=policy.keep_days)
        )
        self.backups_label.setText(_("&Backups:"))
        self.list.setAccessibleName(_("Backups"))
        self.backup_button.setText(_("Back &up now"))
        self.restore_button.setText(_("&Restore a backup…"))
        self.restore_button.setToolTip(
            _("Close the window, put the selected backup in place and open it again")
        )
        for row, backup in enumerate(self.backups):
            self.list.item(row).setText(backup_label(backup))
        if not self.backups and self.list.count():
            self.list.item(0).setText(_("No backups yet."))
        self._retranslate_status()


def confirm_restore(parent: QWidget, backup: Backup, set_aside: Path) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Restore a backup"))
    when = format_datetime(backup.taken_at)
    box.setText(_("Restore the backup of {time}?").format(time=when))
    box.setInformativeText(
        _(
            "Relay will close this window, put the backup in place of the current data and open "
            "again on it. Changes made after {time} are not in the backup. The current data is "
            "not deleted: it is kept in {folder}."
        ).format(time=when, folder=set_aside)
    )
    restore = box.addButton(_("Close and restore"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is restore
