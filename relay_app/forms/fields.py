"""Field types and the ``Field`` description every form is made of."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from relay_app.forms.relevance import Condition


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    EMAIL = "email"
    URL = "url"
    PHONE = "phone"
    TEXT_LIST = "text_list"
    REFERENCE = "reference"


LIST_TYPES = frozenset({FieldType.MULTI_CHOICE, FieldType.TEXT_LIST})
CODELIST_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTI_CHOICE})
# Fields that keep free text: each needs a length limit, so no value is unbounded.
FREE_TEXT_TYPES = frozenset({
    FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.URL, FieldType.PHONE,
    FieldType.TEXT_LIST,
})


@dataclass(frozen=True)
class YearsFromNow:
    """A bound that moves with the calendar (e.g. "next year" for a start year)."""

    offset: int = 0

    def value(self) -> int:
        return datetime.now(UTC).year + self.offset


Bound = int | float | YearsFromNow


def _resolve(bound: Bound | None) -> int | float | None:
    return bound.value() if isinstance(bound, YearsFromNow) else bound


@dataclass(frozen=True)
class Field:
    """One field of a form. Labels, help and units are ``N_`` msgids, translated when shown.

    ``max_length`` limits each item of a TEXT_LIST, ``max_items`` the number of items.
    ``reference`` names the record kind a REFERENCE field points to.
    ``personal`` marks data about a person (name, contact details): erased from every copy the
    server keeps when the record is deleted (see docs/sync-protocol.md, "Erasure").
    """

    name: str
    type: FieldType
    label: str
    help: str = ""
    required: bool = False
    codelist: str | None = None
    max_length: int | None = None
    minimum: Bound | None = None
    maximum: Bound | None = None
    minimum_exclusive: bool = False
    unit: str = ""
    reference: str | None = None
    relevant: Condition | None = None
    required_if: Condition | None = None
    default: Any = None
    max_items: int | None = None
    must_be_true: bool = False
    personal: bool = False

    def __post_init__(self) -> None:
        if (self.codelist is not None) != (self.type in CODELIST_TYPES):
            raise ValueError(f"Field {self.name!r}: a code list goes with choice fields only")
        if (self.reference is not None) != (self.type is FieldType.REFERENCE):
            raise ValueError(f"Field {self.name!r}: a reference kind goes with REFERENCE only")
        if self.type in FREE_TEXT_TYPES and self.max_length is None:
            raise ValueError(f"Field {self.name!r}: a text field needs a max_length")
        if self.type is FieldType.TEXT_LIST and self.max_items is None:
            raise ValueError(f"Field {self.name!r}: a text list needs a max_items")

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES

    def empty_value(self) -> Any:
        """What an absent value is stored as: [] for list fields, None otherwise."""
        return [] if self.is_list else None

    def default_value(self) -> Any:
        """The default, copied so that records never share a mutable default."""
        if self.default is None:
            return self.empty_value()
        return copy.copy(self.default)

    def minimum_value(self) -> int | float | None:
        return _resolve(self.minimum)

    def maximum_value(self) -> int | float | None:
        return _resolve(self.maximum)

    def dependencies(self) -> tuple[str, ...]:
        """Every field whose value can change whether this one applies or is required."""
        names: list[str] = []
        for condition in (self.relevant, self.required_if):
            if condition is not None:
                names.extend(n for n in condition.depends_on if n not in names)
        return tuple(names)
