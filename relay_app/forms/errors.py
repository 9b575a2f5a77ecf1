"""What validation hands back: cleaned values and the errors found, with stable codes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Stable, public error codes: imports, the UI and the sync server's answers all rely on them.
REQUIRED = "required"
INVALID_TYPE = "invalid_type"
INVALID_CHOICE = "invalid_choice"
INVALID_EMAIL = "invalid_email"
INVALID_URL = "invalid_url"
INVALID_PHONE = "invalid_phone"
TOO_LONG = "too_long"
OUT_OF_RANGE = "out_of_range"
DATE_ORDER = "date_order"
NOT_RELEVANT = "not_relevant"
UNKNOWN_FIELD = "unknown_field"
MUST_BE_TRUE = "must_be_true"
COORDINATES_INCOMPLETE = "coordinates_incomplete"
INVALID_REFERENCE = "invalid_reference"
# Text no UTF-8 file can hold (a lone surrogate) or holding an invisible control character.
INVALID_TEXT = "invalid_text"

ERROR_CODES: tuple[str, ...] = (
    REQUIRED,
    INVALID_TYPE,
    INVALID_CHOICE,
    INVALID_EMAIL,
    INVALID_URL,
    INVALID_PHONE,
    TOO_LONG,
    OUT_OF_RANGE,
    DATE_ORDER,
    NOT_RELEVANT,
    UNKNOWN_FIELD,
    MUST_BE_TRUE,
    COORDINATES_INCOMPLETE,
    INVALID_REFERENCE,
    INVALID_TEXT,
)


@dataclass(frozen=True)
class FieldError:
    """One problem with a record. ``field`` is None for a problem with the record as a whole.

    ``message`` is already translated; ``params`` holds the raw values behind it (limits, the
    rejected value) for callers that build their own wording.
    """

    field: str | None
    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass
class ValidationResult:
    cleaned: dict[str, Any]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_for(self, name: str) -> FieldError | None:
        """The error reported on field ``name``, if any (there is at most one per field)."""
        return next((error for error in self.errors if error.field == name), None)


class Invalid(Exception):
    """Raised by coercion for a value that cannot be accepted; becomes a ``FieldError``."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def on(self, field_name: str) -> FieldError:
        return FieldError(field_name, self.code, self.message, self.params)
