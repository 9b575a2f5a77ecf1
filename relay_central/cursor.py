"""Opaque pull cursors: a position in one server's change feed.

A cursor names the server that issued it, so a cursor from another server (or from before a
restore that reset the server's identity) is recognised and answered with `resync`.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

_PREFIX = "c1"


@dataclass(frozen=True)
class CursorPosition:
    server_id: str
    change_seq: int


class BadCursor(ValueError):
    """The text is not a cursor this protocol ever issued."""


def encode_cursor(server_id: str, change_seq: int) -> str:
    raw = f"{_PREFIX}:{server_id}:{change_seq}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> CursorPosition:
    padded = text + "=" * (-len(text) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise BadCursor(text) from error
    parts = raw.split(":")
    if len(parts) != 3 or parts[0] != _PREFIX or not parts[2].isdigit():
        raise BadCursor(text)
    return CursorPosition(server_id=parts[1], change_seq=int(parts[2]))
