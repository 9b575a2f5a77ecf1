"""The simple pages: Settings (language, data and backups, security).

The Sync page is its own package, ``ui/sync``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from relay_app.i18n import SUPPORTED_LANGUAGES, _, current_language
from relay_app.ui.language import language_signal
from relay_app.ui.settings_data import DataSettings

# Each language is named in itself, so a person who cannot read the current one finds theirs.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


class SettingsPage(QWidget):
    language_chosen = Signal(str)

    def __init__(self, data: DataSettings | None = None, security: QWidget | None = None) -> None:
        super().__init__()
        self.data = data  # the data folder and backups section (``ui/settings_data.py``)
        self.security = security  # encryption and the idle lock (``ui/settings_security.py``)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.language = QComboBox()
        for code in SUPPORTED_LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.language.currentIndexChanged.connect(
            lambda _index: self.language_chosen.emit(self.language.currentData())
        )
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        if data is not None:
            layout.addWidget(data)
        if security is not None:
            layout.addWidget(security)
        layout.addStretch(1)
        language_signal().changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Settings"))
        self.language_label.setText(_("Language:"))
        self.language.setAccessibleName(_("Language"))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.language.blockSignals(False)
