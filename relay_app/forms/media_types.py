"""The media types a file may be declared with, wherever one is set, sent or served.

Only a bare `type/subtype` of RFC 6838's restricted names (ASCII letters, digits and
``!#$&^_.+-``): no parameters, spaces or control characters. A media type ends up in an HTTP
header when the server sends the file, so anything else could split or break that header.
"""

from __future__ import annotations

import re
from typing import Final

DEFAULT_MEDIA_TYPE: Final = "application/octet-stream"
MAX_MEDIA_TYPE_LENGTH: Final = 100
_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
MEDIA_TYPE_PATTERN: Final = rf"^{_NAME}/{_NAME}$"
_MEDIA_TYPE = re.compile(rf"{_NAME}/{_NAME}", re.ASCII)


def is_media_type(value: object) -> bool:
    """True for a string that is a safe `type/subtype` (at most 100 characters)."""
    return (
        isinstance(value, str)
        and len(value) <= MAX_MEDIA_TYPE_LENGTH
        and _MEDIA_TYPE.fullmatch(value) is not None
    )


def servable_media_type(stored: str | None) -> str:
    """``stored`` when it is safe, else the neutral default (for values stored before the rule)."""
    return stored if stored is not None and is_media_type(stored) else DEFAULT_MEDIA_TYPE
