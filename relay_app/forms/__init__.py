"""Declarative form definitions for every record kind, and the one validator they share.

``form_for(kind)`` gives the ``Form`` of a kind; ``Form.validate(values)`` checks a full
record and ``Form.coerce_field(name, raw)`` a single field. The validation semantics are
described in ``relay_app.forms.validation``.
"""

from __future__ import annotations

from relay_app.forms.definitions import FORMS
from relay_app.forms.errors import ERROR_CODES, FieldError, ValidationResult
from relay_app.forms.fields import Field, FieldType, YearsFromNow
from relay_app.forms.form import Form
from relay_app.forms.relevance import AllSet, AnySet, Condition, Equals, IsSet, is_set
from relay_app.forms.rules import (
    CoordinatesPair,
    CrossFieldRule,
    DateOrder,
    Derivation,
    RegionFromCountry,
)
from relay_app.forms.validation import METADATA_KEYS

KINDS: tuple[str, ...] = ("partners", "practices", "forums", "registrations")
# The files linked to partners and practices: synced like records, but not a kind people list.
FILE_KIND = "attachments"
# A forum desk's scans (protocol 3): an append-only log, synced, read through the desk only.
CHECKIN_KIND = "checkins"


def form_for(kind: str) -> Form:
    """The form of record kind ``kind``; KeyError naming the known kinds otherwise."""
    try:
        return FORMS[kind]
    except KeyError:
        known = ", ".join((*KINDS, FILE_KIND, CHECKIN_KIND))
        raise KeyError(f"Unknown record kind {kind!r}; known kinds: {known}") from None


__all__ = [
    "CHECKIN_KIND",
    "ERROR_CODES",
    "FILE_KIND",
    "KINDS",
    "METADATA_KEYS",
    "AllSet",
    "AnySet",
    "Condition",
    "CoordinatesPair",
    "CrossFieldRule",
    "DateOrder",
    "Derivation",
    "Equals",
    "Field",
    "FieldError",
    "FieldType",
    "Form",
    "IsSet",
    "RegionFromCountry",
    "ValidationResult",
    "YearsFromNow",
    "form_for",
    "is_set",
]
