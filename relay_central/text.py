"""Text the database cannot hold: PostgreSQL refuses NUL characters in text and in JSONB.

SQLite would store them, so the server treats them alike on both engines: a NUL in an identifier
makes the request invalid, a NUL inside a record's values is cleaned away like other stray
whitespace (values may come back cleaned, see docs/sync-protocol.md, "Push").
"""

from __future__ import annotations

from typing import Any

NUL = "\x00"


def has_nul(text: str) -> bool:
    return NUL in text


def without_nul(value: Any) -> Any:
    """``value`` (decoded JSON) with every NUL removed from its strings and object keys."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value
