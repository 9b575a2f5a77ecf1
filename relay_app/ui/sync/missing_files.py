"""Files known from a sync whose bytes have not arrived yet: a placeholder and "Download now".

File links sync before their files (and the data saver may hold files back), so a partner's logo
or a practice's photo can be listed on this device while its file is still on the server. The
editor's file boxes and the detail pane show ``placeholder_pixmap`` instead of a broken image, and
a ``MissingFilesBar`` whose button starts the window's "Sync files now" run.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from relay_app.i18n import _, ngettext
from relay_app.ui.language import language_signal
from relay_app.ui.sync.files_request import follow_sync_runs, request_files_sync
from relay_app.ui.sync.sync_page import SyncPage


def not_downloaded_text() -> str:
    return _("Not downloaded yet")


def placeholder_pixmap(side: int) -> QPixmap:
    """A grey square that says "Not downloaded yet", in the current language."""
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("#eeeeee"))
    painter = QPainter(pixmap)
    try:
        painter.setPen(QPen(QColor("#9e9e9e"), 1, Qt.PenStyle.DashLine))
        painter.drawRect(0, 0, side - 1, side - 1)
        painter.setPen(QColor("#424242"))
        font = painter.font()
        font.setPointSizeF(max(6.0, side / 12))
        painter.setFont(font)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(QRect(4, 4, side - 8, side - 8), int(flags), not_downloaded_text())
    finally:
        painter.end()
    return pixmap


class MissingFilesBar(QWidget):
    """ "2 files are not downloaded yet. [Download now]", hidden while every file is here."""

    sync_ended = Signal()  # a sync of this window ended: files may have arrived, look again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._missing = 0
        self._asked: bool | None = None  # the answer to the last "Download now", for the words
        self._followed: SyncPage | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.download_button = QPushButton()
        self.download_button.clicked.connect(lambda _checked=False: self.download_now())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.download_button)
        language_signal().changed.connect(self.retranslate_ui)
        self.set_missing(0)

    @property
    def missing(self) -> int:
        return self._missing

    def set_missing(self, count: int) -> None:
        if count != self._missing:
            self._asked = None
        self._missing = count
        self.setVisible(count > 0)
        self.retranslate_ui()

    def download_now(self) -> bool:
        """Ask the window's Sync page for a files sync; False when none can start now."""
        self._follow()
        self._asked = request_files_sync(self)
        self.retranslate_ui()
        return self._asked

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._follow()

    def _follow(self) -> None:
        self._followed = follow_sync_runs(self, self._run_ended, self._followed)

    def _run_ended(self) -> None:
        if self._missing:
            self._asked = None
            self.retranslate_ui()
            self.sync_ended.emit()

    def retranslate_ui(self) -> None:
        count = self._missing
        text = ngettext(
            "{count} file is not downloaded yet.", "{count} files are not downloaded yet.", count
        ).format(count=count) if count else ""
        if self._asked is True:
            text = _("Downloading: the files appear here when they arrive.")
        elif self._asked is False:
            text = _(
                "No download can start now: enrol this device on the Sync page, "
                "or wait for the running sync to end."
            )
        self.label.setText(text)
        self.download_button.setText(_("Download now"))
        self.download_button.setToolTip(
            _("Download the files of your records now, even with the data saver on")
        )
        self.download_button.setAccessibleName(_("Download the missing files now"))
