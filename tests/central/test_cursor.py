"""Cursors are opaque to clients but must round-trip and refuse what was never issued."""

from __future__ import annotations

import pytest

from relay_central.cursor import BadCursor, CursorPosition, decode_cursor, encode_cursor


def test_cursor_round_trips() -> None:
    text = encode_cursor("abc123", 4711)
    assert "4711" not in text  # opaque: clients must not do arithmetic on it
    assert decode_cursor(text) == CursorPosition("abc123", 4711)


@pytest.mark.parametrize("text", ["", "not a cursor", "YWJj", "%%%", encode_cursor("x", 1)[:-3]])
def test_garbage_is_refused(text: str) -> None:
    with pytest.raises(BadCursor):
        decode_cursor(text)
