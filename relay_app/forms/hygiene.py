"""Text every field accepts: encodable as UTF-8, and without invisible control characters.

JSON lets a lone UTF-16 surrogate through (``"\\ud800"``); Python keeps it in a ``str``, but no
UTF-8 file, database or answer can hold it. Nobody can tell which character was meant, so such
text is refused (``invalid_text``). C0 control characters and DEL (PostgreSQL refuses NUL in text;
the others are invisible, break exports and terminals, and hide text) are cleaned away like the
whitespace around a value. Tab and line breaks are whitespace: multi-line fields keep them,
single-line fields turn them into spaces (see ``coercion``). Every raw value goes through
``clean_text`` before it is parsed, so the rule covers every field type at once.
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
# Any surrogate code point in a ``str`` is a lone one: JSON decoding joins the valid pairs.
_UNENCODABLE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HOSTILE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x1f\x7f]")
# How much of an unknown field name a message quotes.
SHOWN_NAME_LENGTH = 80


def is_clean(text: str) -> bool:
    """True for text the rule leaves as it is (the common case, checked in one pass)."""
    return _HOSTILE.search(text) is None


def unencodable_position(text: str) -> int | None:
    """The 1-based position of the first character UTF-8 cannot hold; None when there is none."""
    found = _UNENCODABLE.search(text)
    return None if found is None else found.start() + 1


def without_controls(text: str) -> str:
    """``text`` without C0 control characters (tab and line breaks kept) and DEL."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def encodable(value: Any) -> Any:
    """``value`` (decoded JSON) with each lone surrogate, in strings and keys, replaced by U+FFFD."""
    if isinstance(value, str):
        return _UNENCODABLE.sub(REPLACEMENT, value) if _UNENCODABLE.search(value) else value
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encodable(item) for item in value]
    return value


def scrubbed(value: Any) -> Any:
    """``value`` as it can be kept whatever its source: strings (in lists too) encodable, their
    lone surrogates replaced by U+FFFD, and without control characters."""
    if isinstance(value, str):
        return without_controls(encodable(value))
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    return value


def shown(name: object) -> str:
    """A name (an unknown field's) safe to quote in a message: encodable, visible, not too long."""
    text = _UNPRINTABLE.sub(REPLACEMENT, str(name))
    if len(text) > SHOWN_NAME_LENGTH:
        return text[: SHOWN_NAME_LENGTH - 1] + "…"
    return text
