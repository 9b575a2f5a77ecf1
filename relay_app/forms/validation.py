"""The one record validator, shared by the UI, CSV/XLSX imports and the sync server.

Semantics, in the order they are applied:

1. **Keys.** Every key must be a field of the form. The record metadata keys (``id``,
   ``created_at``, ``updated_at``, ``deleted``, ``base_version``, ``origin_device``,
   ``dirty_fields``) are ignored; any other unknown key is an ``unknown_field`` error, which
   names the key with its unprintable characters replaced (U+FFFD) and cut to 80 characters.
2. **Coercion.** Raw strings (spreadsheet cells, widget text, CLI JSON) and typed values are
   both accepted. "", whitespace and None mean "no value"; text is stripped. Numbers accept
   "12.5", ints and floats (never bools); INTEGER also takes integral floats such as 2015.0
   and "2015". Booleans accept real bools and, in any case, true/false, yes/no, 1/0,
   oui/non, sí/si/no (and vrai/faux, verdadero/falso). DATE is "YYYY-MM-DD" or a ``date``
   (a spreadsheet's datetime at midnight too); DATETIME is ISO 8601, stored as an aware UTC
   ``datetime`` (naive input is taken as UTC). MULTI_CHOICE and TEXT_LIST take a
   list or a string split on ";" (items trimmed, empties dropped). Choice codes match
   regardless of case ("pe" is stored as "PE"). REFERENCE takes a UUID and stores its
   canonical text; whether the record exists is for the services to check.
   Failures: ``invalid_type``, ``invalid_choice``, ``invalid_email``, ``invalid_url``,
   ``invalid_phone``, ``invalid_reference``, ``too_long``, ``out_of_range``.
   Before any of that, every text (a value, or a text item of a list, whatever the field's
   type) must be encodable as UTF-8, otherwise ``invalid_text``, and loses its control
   characters other than tab and line breaks (``relay_app.forms.hygiene``). Single-line fields
   turn tabs and line breaks into spaces; multi-line fields keep them, line breaks as "\n".
3. **Defaults.** An empty field takes its default (e.g. a partner's status is "active").
4. **Derived values.** An empty field with a derivation is filled from other fields: the
   region of a partner, practice or forum is taken from its country (UN M49). A region that
   was given is kept as given; a region that cannot be derived because the country is in
   error is not also reported missing.
5. **Relevance.** A field whose ``relevant`` condition is false must stay empty: a value
   there is a ``not_relevant`` error and is dropped from the cleaned record.
6. **Required.** A relevant, required field (or one whose ``required_if`` holds) with no
   value is a ``required`` error; a ``must_be_true`` boolean that is False is
   ``must_be_true``.
7. **Cross-field rules**: ``date_order``, ``coordinates_incomplete``.

All errors are collected, at most one per field. So that one mistake is reported once, a
condition that reads a value which could not be coerced, and a cross-field rule or derivation
that reads a field already in error, are not evaluated. The cleaned record holds every field
of the form, in order (None, [] or the default when absent; None or [] for a field in error).
Messages are translated when validation runs and name the field's label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from relay_app.forms import errors as codes
from relay_app.forms.coercion import clean_text, coerce_value, is_blank, label_of
from relay_app.forms.errors import FieldError, Invalid, ValidationResult
from relay_app.forms.fields import Field
from relay_app.forms.hygiene import shown
from relay_app.forms.relevance import Condition, is_set
from relay_app.forms.rules import CrossFieldRule, Derivation
from relay_app.i18n import _

METADATA_KEYS = frozenset(
    {"id", "created_at", "updated_at", "deleted", "base_version", "origin_device", "dirty_fields"}
)


def required_error(field: Field) -> FieldError:
    return FieldError(
        field.name, codes.REQUIRED, _("{field} is required.").format(field=label_of(field))
    )


def _must_be_true_error(field: Field) -> FieldError:
    message = _("{field} must be accepted.").format(field=label_of(field))
    return FieldError(field.name, codes.MUST_BE_TRUE, message)


def coerce_single(
    field: Field, raw: Any, *, may_be_derived: bool = False
) -> tuple[Any, FieldError | None]:
    """Check one field on its own, as the UI does while a person types.

    Applies coercion, the default, ``required`` (unless the value may be derived from other
    fields) and ``must_be_true``; rules that involve other fields wait for the full record.
    """
    try:
        value = coerce_value(field, raw)
    except Invalid as problem:
        return field.empty_value(), problem.on(field.name)
    if not is_set(value):
        value = field.default_value()
    if field.required and not may_be_derived and not is_set(value):
        return value, required_error(field)
    if field.must_be_true and value is False:
        return value, _must_be_true_error(field)
    return value, None


def _unknown_field_error(key: object) -> FieldError:
    """The error for a key that is no field; it quotes the key only as ``hygiene.shown`` does."""
    name = shown(key)
    message = _("“{name}” is not a field of this form.").format(name=name)
    return FieldError(name, codes.UNKNOWN_FIELD, message, {"name": name})


def _unknown_key_errors(keys: Iterable[str], known: Mapping[str, Field]) -> list[FieldError]:
    return [
        _unknown_field_error(key) for key in keys if key not in known and key not in METADATA_KEYS
    ]


def text_errors(fields: tuple[Field, ...], values: Mapping[str, Any]) -> list[FieldError]:
    """The ``invalid_text`` errors of the fields present in ``values``, and nothing else: for a
    partial change (a sync push) checked before it is merged into a full record."""
    problems = []
    for field in fields:
        if field.name not in values:
            continue
        try:
            clean_text(field, values[field.name])
        except Invalid as problem:
            problems.append(problem.on(field.name))
    return problems


def _holds(
    condition: Condition | None, values: Mapping[str, Any], unreadable: set[str]
) -> bool | None:
    """The condition's answer, or None when there is none or it reads a value that failed."""
    if condition is None or any(name in unreadable for name in condition.depends_on):
        return None
    return condition.evaluate(values)


def validate_record(
    fields: tuple[Field, ...],
    values: Mapping[str, Any],
    *,
    derivations: tuple[Derivation, ...] = (),
    rules: tuple[CrossFieldRule, ...] = (),
    coerce: Callable[[Field, Any], Any] = coerce_value,
) -> ValidationResult:
    """Validate a whole record against ``fields``; see the module docstring for the rules.

    ``coerce`` stands for ``coerce_value`` and must behave exactly like it: imports pass one that
    remembers the answer for a value met before (a country written 10,000 times).
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"A record must be a mapping, not {type(values).__name__}")
    by_name = {field.name: field for field in fields}
    cleaned: dict[str, Any] = {}
    failed: dict[str, FieldError] = {}
    provided: set[str] = set()

    for field in fields:
        raw = values.get(field.name)
        if raw is None:  # most absent cells: nothing to coerce
            cleaned[field.name] = field.empty_value()
            continue
        if not is_blank(raw):
            provided.add(field.name)
        try:
            cleaned[field.name] = coerce(field, raw)
        except Invalid as problem:
            cleaned[field.name] = field.empty_value()
            failed[field.name] = problem.on(field.name)

    # Values that failed coercion are unknown, so conditions that read them cannot be decided.
    unreadable = set(failed)
    for field in fields:
        # Without a default, an unset value is already the field's empty value.
        if field.default is not None and field.name not in failed and not is_set(cleaned[field.name]):
            cleaned[field.name] = field.default_value()

    # A target whose derivation could not run is not reported missing: its source's error says it.
    underived: set[str] = set()
    for derivation in derivations:
        target = derivation.target
        if target in failed or is_set(cleaned[target]):
            continue
        if any(name in failed for name in derivation.fields):
            underived.add(target)
            continue
        value = derivation.derive(cleaned)
        if value is not None:
            cleaned[target] = value

    # Fields are visited in form order, so a field that stops applying is emptied before the
    # fields that depend on it are looked at (checked-in time, then checked-in by).
    for field in fields:
        name = field.name
        if name in failed:
            continue
        if _holds(field.relevant, cleaned, unreadable) is False:
            if name in provided:
                message = _("{field} does not apply to this record; leave it empty.").format(
                    field=label_of(field)
                )
                failed[name] = FieldError(name, codes.NOT_RELEVANT, message)
            cleaned[name] = field.empty_value()
            continue
        value = cleaned[name]
        needed = field.required or _holds(field.required_if, cleaned, unreadable) is True
        if needed and not is_set(value):
            if name not in underived:
                failed[name] = required_error(field)
        elif field.must_be_true and value is False:
            failed[name] = _must_be_true_error(field)

    for rule in rules:
        if any(name in failed for name in rule.fields):
            continue
        problem = rule.check(cleaned, by_name)
        if problem is not None and problem.field not in failed:
            failed[problem.field or ""] = problem

    ordered = [failed[field.name] for field in fields if field.name in failed]
    ordered.extend(problem for key, problem in failed.items() if key not in by_name)
    ordered.extend(_unknown_key_errors(values.keys(), by_name))
    return ValidationResult(cleaned=cleaned, errors=ordered)
