"""One way to fold the words of a spreadsheet (headers, code-list labels) before comparing them."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded: "  Collège " and "college" are one word,
    "E-mail" and "e mail" too. Word order is kept (unlike a name's key for duplicates)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NOT_WORD.sub(" ", bare).strip()


def squeeze(text: str) -> str:
    """``fold`` without spaces: "E-mail", "e mail" and "email" meet."""
    return fold(text).replace(" ", "")
