"""One translation function for the whole of Relay (core, CLI and UI alike).

Catalogs are the ``.po`` files under ``i18n/``; they are compiled in memory at load time,
so no ``.mo`` file is ever committed. ``N_`` marks strings that are defined at import time
(form labels, code-list labels) and translated later, when shown, with ``_``.

``x-pseudo`` is a developer-only language: every message of ``i18n/messages.pot`` wrapped in
"[!! ... !!]" and accented, built in memory. Text on screen without the markers was never
translated; text cut short shows where a longer language will not fit. It is not offered to
users (``SUPPORTED_LANGUAGES``); formats and CLDR names stay English underneath.
"""

from __future__ import annotations

import gettext
import io
import locale as _locale
import os
import re
from collections.abc import Callable
from functools import cache

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from relay_app.resources import i18n_dir

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"
PSEUDO_LANGUAGE = "x-pseudo"
PSEUDO_START, PSEUDO_END = "[!! ", " !!]"

_current_language = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()
_listeners: list[Callable[[str], None]] = []


def _compiled(catalog: Catalog) -> gettext.NullTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def _load_catalog(language: str) -> gettext.NullTranslations:
    if language == PSEUDO_LANGUAGE:
        return _compiled(pseudo_catalog())
    po_path = i18n_dir() / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return _compiled(catalog)


# What must survive pseudo-translation untouched: placeholders ({count}, {{, %(name)s, %s),
# markup tags and entities, and a Qt mnemonic's letter so Alt+F stays Alt+F.
_KEEP = re.compile(r"\{\{|\}\}|\{[^{}]*\}|%\([^)]*\)[a-z]|%[sdfr%]|<[^<>]*>|&\w+;|&&|&\w")
_ACCENTED = str.maketrans(
    "AaBCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåƁÇçĐđÉéĜĝĤĥÎîĴĵĶķĹļÑñÖöŘŕŠšŢţÜüŴŵÝýŽž",
)


def pseudo_translate(message: str) -> str:
    """``message`` accented and wrapped in markers, its placeholders kept as they are.

    Leading and trailing white space (a final newline, say) stays outside the markers, where
    gettext expects it.
    """
    body = message.strip()
    if not body:
        return message
    start = message.index(body)
    pieces: list[str] = []
    position = 0
    for kept in _KEEP.finditer(body):
        pieces.append(body[position : kept.start()].translate(_ACCENTED))
        pieces.append(kept.group())
        position = kept.end()
    pieces.append(body[position:].translate(_ACCENTED))
    marked = f"{PSEUDO_START}{''.join(pieces)}{PSEUDO_END}"
    return message[:start] + marked + message[start + len(body) :]


def pseudo_catalog() -> Catalog:
    """The pseudo-translation of every message in ``i18n/messages.pot``."""
    with (i18n_dir() / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=DEFAULT_LANGUAGE, project=template.project)
    for message in template:
        if not message.id:
            continue  # the header
        if isinstance(message.id, tuple | list):
            forms = tuple(pseudo_translate(form) for form in message.id)
            catalog.add(message.id, forms, context=message.context)
        else:
            catalog.add(message.id, pseudo_translate(message.id), context=message.context)
    return catalog


def normalise_language(code: str | None) -> str | None:
    """Map 'fr_FR.UTF-8', 'es-419' or 'FR' to a supported language, or None.

    'x-pseudo' is recognised too, so a developer can start with ``RELAY_LANG=x-pseudo``.
    """
    if not code:
        return None
    if code.strip().lower().replace("_", "-") == PSEUDO_LANGUAGE:
        return PSEUDO_LANGUAGE
    base = code.replace("-", "_").split(".")[0].split("_")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


def system_language() -> str:
    """The supported language closest to the operating system's locale."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        found = normalise_language(os.environ.get(variable, "").split(":")[0])
        if found is not None and found in SUPPORTED_LANGUAGES:
            return found
    found = normalise_language(_locale.getlocale()[0])
    return found if found is not None and found in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


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
    """The language of messages, formats and CLDR names ("en" beneath the pseudo-locale)."""
    return DEFAULT_LANGUAGE if _current_language == PSEUDO_LANGUAGE else _current_language


def is_pseudo_language() -> bool:
    """True while the developer pseudo-locale is in use."""
    return _current_language == PSEUDO_LANGUAGE


def current_locale() -> Locale:
    return Locale.parse(current_language())


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


def gettext_in(language: str, message: str) -> str:
    """``message`` in ``language`` whatever the current one (imports read headers in any language)."""
    return _load_catalog(language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction; translate it later with ``_`` where it is shown."""
    return message


def _argparse_messages() -> None:  # pragma: no cover - read by the extractor, never run
    """argparse's own texts the command line shows, listed so they reach our catalogs."""
    N_("usage: ")
    N_("positional arguments")
    N_("options")
    N_("show this help message and exit")
    N_("%(prog)s: error: %(message)s\n")
    N_("argument %(argument_name)s: %(message)s")
    N_("invalid choice: %(value)r (choose from %(choices)s)")
    N_("invalid %(type)s value: %(value)r")
    N_("the following arguments are required: %s")
    N_("unrecognized arguments: %s")
    N_("unknown parser %(parser_name)r (choices: %(choices)s)")
    N_("not allowed with argument %s")
    N_("one of the arguments %s is required")
    N_("ignored explicit argument %r")
    N_("ambiguous option: %(option)s could match %(matches)s")
    N_("can't open '%(filename)s': %(error)s")
    N_("expected one argument")
    N_("expected at most one argument")
    N_("expected at least one argument")
    ngettext("expected %s argument", "expected %s arguments", 0)


def _translate_argparse() -> None:
    """Let argparse's usage lines and errors follow the chosen language.

    argparse looks its ``_`` and ``ngettext`` up as module globals at each call, so pointing
    them at ours translates it through the same catalogs; untranslated texts stay English.
    """
    import argparse

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


_translate_argparse()
