"""A Qt signal for language switches, so every widget can retranslate itself.

The core's ``relay_app.i18n`` knows nothing of Qt; this bridge turns its plain callbacks into
one ``changed(str)`` signal. Widgets connect ``retranslate_ui`` to it; Qt drops the connection
when a widget is destroyed. Qt's own texts (standard buttons, key names such as "Suppr") come from
the ``qtbase`` catalogs shipped with PySide6, swapped on each switch before widgets retranslate.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

from relay_app.i18n import DEFAULT_LANGUAGE, current_language, on_language_changed


class LanguageSignal(QObject):
    changed = Signal(str)


_signal: LanguageSignal | None = None
_qt_translator: QTranslator | None = None


def install_qt_translations() -> None:
    """Load Qt's own catalog for the current language (nothing to load for English)."""
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    language = current_language()  # English beneath the pseudo-locale
    if language == DEFAULT_LANGUAGE:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _qt_translator = translator


def _switched(language: str) -> None:
    install_qt_translations()
    if _signal is not None:
        _signal.changed.emit(language)


def language_signal() -> LanguageSignal:
    global _signal
    if _signal is None:
        _signal = LanguageSignal()
        on_language_changed(_switched)
    return _signal
