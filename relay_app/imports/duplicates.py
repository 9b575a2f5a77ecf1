"""Rows of a file that look like records already here.

Evidence, strongest first: the same ``id``; the same email, website or phone once normalised;
the same name (accents, case and word order folded, as ``services.duplicates`` does for people)
in the same country; a close name (rapidfuzz token-sort score) in the same country. Only the
strongest match of a row is kept. The existing records are read once, as plain columns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from relay_app.i18n import N_, _
from relay_app.services.duplicates import email_key, fold, phone_key
from relay_app.store.database import Database
from relay_app.store.models import RECORD_MODELS

NAME_SCORE = 90  # token-sorted similarity of folded names that suggests one record
MAX_FUZZY_CANDIDATES = 20_000
_NUMBERS = re.compile(r"\d+")  # beyond that a close-name search per row costs more than it finds

# What names a record and how it can be reached, per kind.
NAME_FIELDS: Mapping[str, tuple[str, ...]] = {
    "partners": ("name",),
    "practices": ("title",),
    "forums": ("name",),
    "registrations": ("first_name", "last_name"),
}
CONTACT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "partners": ("email", "website"),
    "practices": (),
    "forums": (),
    "registrations": ("email", "phone"),
}

REASONS: Mapping[str, str] = {
    "id": N_("same id"),
    "email": N_("same email"),
    "website": N_("same website"),
    "phone": N_("same phone number"),
    "name": N_("same name"),
    "similar_name": N_("similar name"),
}


@dataclass(frozen=True)
class DuplicateMatch:
    """Row ``row`` of the file looks like the existing record ``record_id``."""

    row: int
    record_id: str
    reason: str  # a key of REASONS
    score: int  # 100 for equal keys, the fuzzy score otherwise
    existing: str  # the existing record's one-line title

    def reason_text(self) -> str:
        return _(REASONS[self.reason])

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "record_id": self.record_id,
            "reason": self.reason,
            "score": self.score,
            "existing": self.existing,
        }


def website_key(url: str | None) -> str | None:
    """"https://www.Example.org/" and "http://example.org" are one site."""
    text = (url or "").strip().casefold()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.removeprefix("www.").rstrip("/")
    return text or None


KEYS = {"email": email_key, "website": website_key, "phone": phone_key}


def _name(kind: str, values: Mapping[str, Any]) -> str:
    return fold(" ".join(str(values.get(name) or "") for name in NAME_FIELDS[kind]))


def _country(values: Mapping[str, Any]) -> str:
    return str(values.get("country") or "")


@dataclass
class _Existing:
    ids: dict[str, str]  # id -> title
    by_key: dict[tuple[str, str], str]  # (reason, key) -> id
    by_name: dict[tuple[str, str], str]  # (country, folded name) -> id
    names_in: dict[str, list[tuple[str, str]]]  # country -> [(folded name, id)]


def _load(database: Database, kind: str) -> _Existing:
    model = RECORD_MODELS[kind]
    names, contacts = NAME_FIELDS[kind], CONTACT_FIELDS[kind]
    columns = [model.id, *(getattr(model, n) for n in (*names, *contacts))]
    has_country = hasattr(model, "country")
    if has_country:
        columns.append(model.country)
    found = _Existing({}, {}, {}, defaultdict(list))
    with database.read() as session:
        for row in session.execute(select(*columns).where(model.deleted.is_(False))):
            values = dict(row._mapping)
            record_id = values["id"]
            name = _name(kind, values)
            found.ids[record_id] = " ".join(str(values.get(n) or "") for n in names).strip()
            for reason in contacts:
                key = KEYS[reason](values.get(reason))
                if key is not None:
                    found.by_key.setdefault((reason, key), record_id)
            if name:
                country = _country(values)
                found.by_name.setdefault((country, name), record_id)
                found.names_in[country].append((name, record_id))
    return found


def names_of(database: Database, kind: str) -> dict[str, str]:
    """Folded name -> id of the live records of ``kind`` whose name is theirs alone: a file may name
    a forum or a partner instead of giving its id. (Folded with word order kept, like labels.)"""
    from relay_app.imports.folding import fold as fold_label

    model = RECORD_MODELS[kind]
    columns = [model.id, *(getattr(model, n) for n in NAME_FIELDS[kind])]
    found: dict[str, str] = {}
    taken_twice: set[str] = set()
    with database.read() as session:
        for row in session.execute(select(*columns).where(model.deleted.is_(False))):
            values = dict(row._mapping)
            name = fold_label(" ".join(str(values.get(n) or "") for n in NAME_FIELDS[kind]))
            if name in found:
                taken_twice.add(name)
            found[name] = values["id"]
    return {name: record_id for name, record_id in found.items() if name and name not in taken_twice}


def find_duplicates(
    database: Database, kind: str, rows: Sequence[tuple[int, Mapping[str, Any]]]
) -> dict[int, DuplicateMatch]:
    """The existing record each row (number, cleaned values with ``id``) looks like, by row."""
    from rapidfuzz import fuzz, process

    existing = _load(database, kind)
    if not existing.ids:
        return {}
    matches: dict[int, DuplicateMatch] = {}
    choices = {country: [name for name, _id in names] for country, names in existing.names_in.items()}
    contacts = CONTACT_FIELDS[kind]

    def found(number: int, record_id: str, reason: str, score: int = 100) -> None:
        matches[number] = DuplicateMatch(number, record_id, reason, score, existing.ids[record_id])

    for number, values in rows:
        requested = values.get("id")
        if requested and requested in existing.ids:
            found(number, requested, "id")
            continue
        hit = next(
            (
                (reason, existing.by_key[(reason, key)])
                for reason in contacts
                if (key := KEYS[reason](values.get(reason))) is not None and (reason, key) in existing.by_key
            ),
            None,
        )
        if hit is not None:
            found(number, hit[1], hit[0])
            continue
        name, country = _name(kind, values), _country(values)
        if not name:
            continue
        same = existing.by_name.get((country, name))
        if same is not None:
            found(number, same, "name")
            continue
        candidates = existing.names_in.get(country, [])
        if not candidates or len(candidates) > MAX_FUZZY_CANDIDATES:
            continue
        close = process.extract(
            name, choices[country], scorer=fuzz.token_sort_ratio, score_cutoff=NAME_SCORE, limit=5
        )
        # "Forum 2025" and "Forum 2026", "Partner 15" and "Partner 105": numbers tell records apart.
        numbers = _NUMBERS.findall(name)
        best = next((c for c in close if _NUMBERS.findall(c[0]) == numbers), None)
        if best is not None:
            found(number, candidates[best[2]][1], "similar_name", int(best[1]))
    return matches
