"""Reading the committed catalogs and extracting the messages the code uses today."""

from __future__ import annotations

import re
import string
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
I18N = REPO / "i18n"
TEMPLATE = I18N / "messages.pot"
LANGUAGES = ("en", "fr", "es")
TRANSLATED = ("fr", "es")

MessageKey = tuple[str | None, str | tuple[str, ...]]

# printf-style placeholders, as argparse's messages use them.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[a-z%]")


def catalog_path(language: str) -> Path:
    return I18N / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def key_of(context: str | None, message_id: str | tuple[str, ...] | list[str]) -> MessageKey:
    return context, message_id if isinstance(message_id, str) else tuple(message_id)


def catalog_keys(catalog: Catalog) -> set[MessageKey]:
    return {key_of(message.context, message.id) for message in catalog if message.id}


def extracted_keys() -> set[MessageKey]:
    """What ``pybabel extract`` finds with ``i18n/babel.cfg`` (as ``./dev i18n`` runs it)."""
    with (I18N / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(
        str(REPO), method_map, options_map, keywords=DEFAULT_KEYWORDS, strip_comment_tags=True
    )
    return {key_of(context, message) for _file, _line, message, _comments, context in found}


def translated_messages(language: str) -> list[Message]:
    """The live (not obsolete) messages of a language's catalog, header excluded."""
    return [message for message in read_catalog(catalog_path(language), language) if message.id]


def placeholders(text: str) -> set[str]:
    """The ``{field}`` and ``%(name)s`` placeholders of a message; ValueError if malformed."""
    found = {
        "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }
    return found | set(_PERCENT.findall(text.replace("%%", "")))


def mnemonics(text: str) -> int:
    """How many Qt mnemonics (``&File``) a label holds; ``&&`` is a literal ampersand."""
    return len(re.findall(r"&(?=[^&\s])", text.replace("&&", "")))
