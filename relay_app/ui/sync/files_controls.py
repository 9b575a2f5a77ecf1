"""The Sync page's controls for files: the data saver switch, what it means, "Sync files now"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from relay_app.i18n import _

SYNC_FILES_SHORTCUT = "Ctrl+Shift+F5"


class FileSyncControls(QWidget):
    data_saver_toggled = Signal(bool)  # the person switched it (not ``show_data_saver``)
    sync_files_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_saver = QCheckBox()
        self.data_saver.toggled.connect(self.data_saver_toggled.emit)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.sync_files_button = QPushButton()
        self.sync_files_button.clicked.connect(lambda _checked=False: self.sync_files_clicked.emit())
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.data_saver)
        row.addStretch(1)
        row.addWidget(self.sync_files_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.note)

    def show_data_saver(self, on: bool) -> None:
        """Show the stored setting without it counting as the person's switch."""
        self.data_saver.blockSignals(True)
        self.data_saver.setChecked(on)
        self.data_saver.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.data_saver.setText(_("&Data saver"))
        self.data_saver.setToolTip(
            _("Sync records first; move photos and other files only on a good link or when you ask")
        )
        self.note.setText(
            _("Data saver: records first; photos only on a good link or when you ask.")
        )
        self.sync_files_button.setText(_("Sync fi&les now"))
        self.sync_files_button.setToolTip(
            _("Send and download photos and other files now, even on a slow link ({key})").format(
                key=SYNC_FILES_SHORTCUT
            )
        )
