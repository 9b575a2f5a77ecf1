"""Restoring a backup from the window: close it, put the backup in place, open the store again.

``backups.restore`` refuses while the database is open, on purpose: a restore under the open
window would leave its lists, its editors and a running sync on a file that is gone. So the window
closes first, ``run_app`` closes the store, restores, and opens a new window on the restored store,
which then says what happened. Unsaved editors are not asked about here: the restore is refused
until they are saved or discarded, so a restore never ends in a question the person did not expect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from relay_app.config import Paths
from relay_app.formatting import format_datetime
from relay_app.i18n import _
from relay_app.store.backups import Backup, RestoreRefused, restore

if TYPE_CHECKING:
    from relay_app.ui.main_window import MainWindow


def close_for_restore(window: MainWindow, backup: Backup) -> bool:
    """Close ``window`` so ``run_app`` restores ``backup``; False (and a word why) if it stays open."""
    if any(panel.has_unsaved_changes() for panel in window.panels.values()):
        QMessageBox.information(
            window,
            _("Restore a backup"),
            _("A record is being edited. Save or discard it first, then restore the backup."),
        )
        return False
    window.restore_on_close = backup
    if window.close():
        return True
    window.restore_on_close = None
    return False


def dispose(window: QWidget) -> None:
    """Delete a closed window now, so none of its timers reads the store once it is closed."""
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def restore_closed_store(paths: Paths, backup: Backup) -> tuple[bool, str]:
    """Put ``backup`` in place of the (closed) store of ``paths``; whether it worked, and what to say."""
    try:
        restored = restore(paths, backup.path)
    except (RestoreRefused, OSError) as error:
        return False, _("The backup was not restored: {reason}").format(reason=error)
    when = format_datetime(backup.taken_at)
    if restored.set_aside is None:
        return True, _("The backup of {time} was restored.").format(time=when)
    return True, _(
        "The backup of {time} was restored. The data it replaced is kept in {file}."
    ).format(time=when, file=restored.set_aside)


def tell_restore_outcome(window: QWidget, restored: bool, text: str) -> QMessageBox:
    """Say over the reopened window how the restore went (window-modal, returns at once)."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Information if restored else QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Restore a backup"))
    box.setText(text)
    box.open()
    return box
