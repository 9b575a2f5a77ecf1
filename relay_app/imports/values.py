"""Spreadsheet values as people write them, turned into what the one validator takes.

Code-list cells may hold the code ("SN", "research_education") or its label in English, French or
Spanish ("Senegal", "Sénégal", "Recherche et formation"), in any case and with or without accents;
labels are replaced by their code here and everything else (numbers with a decimal comma, yes/no
words, dates, the region derived from the country) is left to ``Form.validate``, so a file and the
editor accept exactly the same values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from babel import Locale

from relay_app import codelists
from relay_app.forms import Field, Form
from relay_app.forms.coercion import coerce_value
from relay_app.forms.errors import Invalid
from relay_app.forms.fields import FieldType
from relay_app.i18n import SUPPORTED_LANGUAGES, gettext_in
from relay_app.imports.folding import fold

CLDR_LISTS = {"countries": "territories", "languages": "languages"}


@cache
def label_index(name: str) -> Mapping[str, str]:
    """Folded code or label (en, fr, es) -> code, for the code list ``name``."""
    codes = codelists.get(name)
    index: dict[str, str] = {}
    for entry in codes:
        index.setdefault(fold(entry.code), entry.code)
    cldr = CLDR_LISTS.get(name)
    for language in SUPPORTED_LANGUAGES:
        names = getattr(Locale.parse(language), cldr) if cldr else None
        for entry in codes:
            label = names.get(entry.code, entry.label) if names is not None else gettext_in(
                language, entry.label
            )
            index.setdefault(fold(label), entry.code)
    return index


class ValueReader:
    """Replaces code-list labels by codes in the rows of one form, and the names of referenced
    records by their ids (``references``: field -> folded name -> id); blanks stay blank."""

    def __init__(self, form: Form, references: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self._choices: dict[str, tuple[Mapping[str, str], bool]] = {
            field.name: (label_index(field.codelist), field.type is FieldType.MULTI_CHOICE)
            for field in form.fields
            if field.codelist is not None
        }
        for name, names in (references or {}).items():
            self._choices[name] = (names, False)
        self._cache: dict[tuple[str, str], Any] = {}  # the same country is written 10,000 times

    def read(self, prepared: dict[str, Any]) -> dict[str, Any]:
        """``prepared`` (a row's values by field) with labels and names replaced, in place."""
        for name, (index, many) in self._choices.items():
            raw = prepared.get(name)
            if isinstance(raw, str) and raw.strip():
                key = (name, raw)
                found = self._cache.get(key)
                if found is None:
                    found = self._cache[key] = self._codes(index, raw, many)
                prepared[name] = found
        return prepared

    @staticmethod
    def _codes(index: Mapping[str, str], raw: str, many: bool) -> Any:
        if not many:
            return index.get(fold(raw), raw)
        return [index.get(fold(item), item) for item in raw.split(";") if item.strip()]


# Types whose cells repeat across a file (codes, yes/no, a forum's id, dates), worth remembering.
REPEATING = frozenset(
    {FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.BOOLEAN, FieldType.DATE, FieldType.REFERENCE}
)


class RememberedCoercion:
    """``coerce_value`` that answers a repeated cell of a repeating type from memory.

    The answer (or the ``Invalid`` raised) depends only on the field and the text, within one
    check in one language, so it is the same as asking again; lists are copied for each row.
    """

    def __init__(self, form: Form, also: Iterable[str] = ()) -> None:
        """``also``: more fields to remember, such as the columns found to repeat in a file."""
        wanted = set(also)
        self._memo: dict[str, dict[str, Any]] = {
            field.name: {} for field in form.fields if field.type in REPEATING or field.name in wanted
        }

    def __call__(self, field: Field, raw: Any) -> Any:
        memo = self._memo.get(field.name)
        if memo is None or not isinstance(raw, str):
            return coerce_value(field, raw)
        answer = memo.get(raw, _UNSEEN)
        if answer is _UNSEEN:
            try:
                answer = coerce_value(field, raw)
            except Invalid as problem:
                answer = problem
            memo[raw] = answer
        if isinstance(answer, Invalid):
            raise answer.with_traceback(None)
        return list(answer) if isinstance(answer, list) else answer


_UNSEEN = object()
