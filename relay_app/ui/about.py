"""Help ▸ About Relay: what Relay is, its versions, where its data and log file are, and Copy.

Everything a support person asks first, on one screen, and copied as plain text by one button:
the versions of Relay and of what it runs on, the database's schema revision, the sync protocol,
this device's id, the data folder and the log file.
"""

from __future__ import annotations

import platform

import PySide6
import sqlalchemy
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app import __version__
from relay_app.i18n import _
from relay_app.log_file import log_file
from relay_app.services import Services
from relay_app.sync.wire import PROTOCOL_VERSION
from relay_app.ui.icons import app_icon


def about_facts(services: Services) -> list[tuple[str, str]]:
    """(label, value) pairs, labels in the current language."""
    paths = services.paths
    return [
        (_("Relay"), __version__),
        (_("Python"), platform.python_version()),
        (_("Qt"), qVersion()),
        (_("PySide6"), PySide6.__version__),
        (_("SQLAlchemy"), sqlalchemy.__version__),
        (_("Database schema revision"), services.migrate_current() or _("none")),
        (_("Sync protocol"), str(PROTOCOL_VERSION)),
        (_("Operating system"), platform.platform()),
        (_("Device"), services.device_id),
        (_("Data folder"), str(paths.data_dir)),
        (_("Log file"), str(log_file(paths))),
    ]


def map_note() -> str:
    return _(
        "Map: country shapes from Natural Earth 5.1.1 (public domain), simplified. Borders, "
        "disputed ones included, are drawn as Natural Earth draws them; Relay takes no position "
        "on them."
    )


class AboutDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("About Relay"))
        self.setMinimumWidth(620)
        self.facts = about_facts(services)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        self.heading = QLabel(_("Relay {version}").format(version=__version__))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.purpose = QLabel(
            _(
                "Relay {version}: records of the regional relays of the 4 per 1000 Initiative, "
                "kept on this computer and synced when a connection allows."
            ).format(version=__version__)
        )
        self.purpose.setWordWrap(True)
        self.map_note = QLabel(map_note())
        self.map_note.setWordWrap(True)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in self.facts:
            shown = QLabel(value)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(_("{label}:").format(label=label), shown)
            self.values[label] = shown
        self.copied = QLabel()
        self.copy_button = QPushButton(_("&Copy"))
        self.copy_button.setToolTip(_("Copy these details, to paste them into a message to support"))
        self.copy_button.clicked.connect(self.copy)
        self.folder_button = QPushButton(_("Open data &folder"))
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(services.paths.data_dir)))
        )
        self.close_button = QPushButton(_("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.heading)
        text.addWidget(self.purpose)
        text.addWidget(self.map_note)
        text.addLayout(form)
        text.addStretch(1)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.copied, 1)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)

    def as_text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in self.facts)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.as_text())
        self.copied.setText(_("Copied. Paste it into your message to support."))


def show_about(parent: QWidget, services: Services) -> AboutDialog:
    """Open About over ``parent`` (window-modal, returns at once)."""
    dialog = AboutDialog(services, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
