"""What the command line reads from people: JSON records from a file or standard input."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from relay_app.i18n import _

STDIN = "-"
# Kept by the store itself: a record pasted back from `records show --json` must not fail on them.
MANAGED_FIELDS = ("created_at", "updated_at")


class CliError(Exception):
    """A mistake in what was asked; the message is one translated line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def read_json_object(source: str) -> dict[str, Any]:
    """The JSON object in file ``source`` (``-`` for standard input), without managed fields."""
    name = _("standard input") if source == STDIN else Path(source).name
    try:
        text = sys.stdin.read() if source == STDIN else Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(_("{name}: file not found.").format(name=name)) from None
    except UnicodeDecodeError:
        raise CliError(_("{name}: not a UTF-8 text file.").format(name=name)) from None
    except OSError as error:
        raise CliError(
            _("{name}: cannot be read ({reason}).").format(name=name, reason=error.strerror or error)
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(
            _("{name}: not valid JSON (line {line}, column {column}).").format(
                name=name, line=error.lineno, column=error.colno
            )
        ) from None
    if not isinstance(document, dict):
        raise CliError(_("{name}: expected one JSON object (a record).").format(name=name))
    return {key: value for key, value in document.items() if key not in MANAGED_FIELDS}
