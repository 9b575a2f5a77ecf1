"""One translation function for the whole of Relay (core, CLI and UI alike).

Catalogs are the ``.po`` files under ``i18n/``; they are compiled in memory at load time,
so no ``.mo`` file is ever committed. ``N_`` marks strings that are defined at import time
(form labels, code-list labels) and translated later, when shown, with ``_``.
"""

from __future__ import annotations

import gettext
import io
import locale as _locale
import os
from collections.abc import Callable
from functools import cache

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from relay_app.resources import i18n_dir

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"

_current_language = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()
_listeners: list[Callable[[str], None]] = []


@cache
def _load_catalog(language: str) -> gettext.NullTranslations:
    po_path = i18n_dir() / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def normalise_language(code: str | None) -> str | None:
    """Map 'fr_FR.UTF-8', 'es-419' or 'FR' to a supported language, or None."""
    if not code:
        return None
    base = code.replace("-", "_").split(".")[0].split("_")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


def system_language() -> str:
    """The supported language closest to the operating system's locale."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        found = normalise_language(os.environ.get(variable, "").split(":")[0])
        if found:
            return found
    found = normalise_language(_locale.getlocale()[0])
    return found or DEFAULT_LANGUAGE


def set_language(code: str) -> str:
    """Switch every later call of ``_`` to ``code``; returns the language actually used."""
    global _current_language, _translations
    language = normalise_language(code) or DEFAULT_LANGUAGE
    _translations = _load_catalog(language)
    changed = language != _current_language
    _current_language = language
    if changed:
        for listener in list(_listeners):
            listener(language)
    return language


def current_language() -> str:
    return _current_language


def current_locale() -> Locale:
    return Locale.parse(_current_language)


def on_language_changed(listener: Callable[[str], None]) -> None:
    """Register a callback run after each switch (the UI bridges it to a Qt signal)."""
    _listeners.append(listener)


def remove_language_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations.npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction; translate it later with ``_`` where it is shown."""
    return message
