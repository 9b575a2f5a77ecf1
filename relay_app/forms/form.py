"""``Form``: the declarative definition of one record kind and the entry point to validation."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from relay_app.forms.errors import FieldError, ValidationResult
from relay_app.forms.fields import Field
from relay_app.forms.rules import CrossFieldRule, Derivation
from relay_app.forms.validation import coerce_single, text_errors, validate_record


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


@dataclass(frozen=True)
class Form:
    """Fields (a public contract: names and order), plus the rules that join them.

    ``label`` is the plural ``N_`` msgid of the kind ("Partners"); ``summarize`` makes the
    one-line title of a record from its values.
    """

    kind: str
    label: str
    fields: tuple[Field, ...]
    summarize: Callable[[Mapping[str, Any]], str]
    derivations: tuple[Derivation, ...] = ()
    rules: tuple[CrossFieldRule, ...] = ()
    _by_name: Mapping[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, Field] = {}
        for item in self.fields:
            if item.name in by_name:
                raise ValueError(f"Form {self.kind!r} repeats field {item.name!r}")
            # Conditions read earlier fields only, so one pass in form order settles them.
            for dependency in item.dependencies():
                if dependency not in by_name:
                    raise ValueError(
                        f"Field {item.name!r} of {self.kind!r} depends on {dependency!r}, "
                        "which must be an earlier field"
                    )
            by_name[item.name] = item
        for rule in (*self.derivations, *self.rules):
            names = (*rule.fields, *((rule.target,) if isinstance(rule, Derivation) else ()))
            unknown = [name for name in names if name not in by_name]
            if unknown:
                raise ValueError(f"A rule of {self.kind!r} names unknown fields {unknown}")
        object.__setattr__(self, "_by_name", by_name)

    def field(self, name: str) -> Field:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"{self.kind!r} has no field {name!r}") from None

    def field_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)

    def personal_field_names(self) -> tuple[str, ...]:
        """The fields holding data about a person, erased when the record is deleted."""
        return tuple(item.name for item in self.fields if item.personal)

    def validate(
        self, values: Mapping[str, Any], *, coerce: Callable[[Field, Any], Any] | None = None
    ) -> ValidationResult:
        """Validate a full record (see ``relay_app.forms.validation`` for the semantics)."""
        if coerce is None:
            return validate_record(self.fields, values, derivations=self.derivations, rules=self.rules)
        return validate_record(
            self.fields, values, derivations=self.derivations, rules=self.rules, coerce=coerce
        )

    def text_errors(self, values: Mapping[str, Any]) -> list[FieldError]:
        """Only the text rule (``invalid_text``), for the fields present in ``values``."""
        return text_errors(self.fields, values)

    def coerce_field(self, name: str, raw: Any) -> tuple[Any, FieldError | None]:
        """Check one field on its own, for inline feedback while a person types.

        A required field that a derivation can fill (a forum's region, from its country) is
        not reported missing here; the full validation decides.
        """
        may_be_derived = any(derivation.target == name for derivation in self.derivations)
        return coerce_single(self.field(name), raw, may_be_derived=may_be_derived)

    def to_json(self, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        """A JSON-ready copy of a cleaned record: dates and datetimes become ISO 8601 text."""
        return {key: _json_value(value) for key, value in cleaned.items()}

    def summary(self, values: Mapping[str, Any]) -> str:
        """The one-line title of a record (a partner's name, a participant's full name)."""
        return self.summarize(values)
