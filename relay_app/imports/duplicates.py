"""Rows of a file that look like records already here, or like an earlier row of the same file.

Evidence, strongest first: the same ``id``; the same email, website or phone once normalised;
the same name (accents, case and word order folded, as ``services.duplicates`` does for people)
in the same country; then the same email, website, phone or name + country as an earlier row of
the file (that row plays the existing record); last a close name (rapidfuzz token-sort score) in
the same country. Only the strongest match of a row is kept. The existing records are read once,
as plain columns. (An id given twice in one file is an error, not a duplicate: see ``engine``.)

A registration is a duplicate only of a registration of the same forum (as at the desk): the same
person on the list of another forum is another registration, and "update" must never move them.
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

# Records of a kind that can only repeat one another inside the same parent.
SCOPE_FIELDS: Mapping[str, str] = {"registrations": "forum_id"}

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
    """Row ``row`` of the file looks like the existing record ``record_id``, or (``same_row``) like
    the record an earlier row of the file is about to create."""

    row: int
    record_id: str | None  # None for a match with an earlier row
    reason: str  # a key of REASONS
    score: int  # 100 for equal keys, the fuzzy score otherwise
    existing: str  # the one-line title of the existing record, or of the earlier row
    same_row: int | None = None

    def reason_text(self) -> str:
        return _(REASONS[self.reason])

    def existing_text(self) -> str:
        """What the row looks like, for a person: a record's title, or "same as row 12 (title)"."""
        if self.same_row is None:
            return self.existing
        return _("same as row {row} ({title})").format(row=self.same_row, title=self.existing)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "record_id": self.record_id,
            "same_row": self.same_row,
            "reason": self.reason,
            "score": self.score,
            "existing": self.existing,
        }


_SCHEME = re.compile(r"^[a-z]+://")


def website_key(url: str | None) -> str | None:
    """"https://www.Example.org/" and "http://example.org" are one site."""
    if not url:
        return None
    text = _SCHEME.sub("", url.strip().casefold())
    text = text.removeprefix("www.").rstrip("/")
    return text or None


KEYS = {"email": email_key, "website": website_key, "phone": phone_key}


def _name(kind: str, values: Mapping[str, Any]) -> str:
    return fold(" ".join(str(values.get(name) or "") for name in NAME_FIELDS[kind]))


def _country(kind: str, values: Mapping[str, Any]) -> str:
    """Where names are compared: the country, within the record's forum for a registration."""
    return _scope(kind, values) + str(values.get("country") or "")


def _scope(kind: str, values: Mapping[str, Any]) -> str:
    field = SCOPE_FIELDS.get(kind)
    return f"{values.get(field) or ''}\x1f" if field else ""


def _contact_keys(kind: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(reason, normalised email, website or phone), within the record's forum for a registration."""
    scope = _scope(kind, values)
    return [
        (reason, scope + key)
        for reason in CONTACT_FIELDS[kind]
        if (key := KEYS[reason](values.get(reason))) is not None
    ]


def _title(kind: str, values: Mapping[str, Any]) -> str:
    return " ".join(str(values.get(n) or "") for n in NAME_FIELDS[kind]).strip()


class _EarlierRows:
    """The keys of the rows seen so far: the file's own duplicates.

    A row that will be a new record plays the existing record for the later rows sharing one of
    its keys. A row found to repeat an earlier one, or to look like an existing record, lends its
    keys to that one too: a third row sharing only the second one's website is the first one's
    (or that record's) duplicate as well.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.first: dict[tuple[str, Any], int | str] = {}  # key -> earlier row number, or record id
        self.rows: dict[int, Mapping[str, Any]] = {}  # its values, for its title when repeated

    def match(
        self, number: int, keys: Sequence[tuple[str, Any]], titles: Mapping[str, str]
    ) -> DuplicateMatch | None:
        for reason, key in keys:
            earlier = self.first.get((reason, key))
            if isinstance(earlier, int):
                title = _title(self.kind, self.rows[earlier])
                return DuplicateMatch(number, None, reason, 100, title, same_row=earlier)
            if earlier is not None:
                return DuplicateMatch(number, earlier, reason, 100, titles[earlier])
        return None

    def add(self, number: int, values: Mapping[str, Any], keys: Sequence[tuple[str, Any]]) -> None:
        self.rows[number] = values
        self.lend(number, keys)

    def lend(self, earlier: int | str, keys: Sequence[tuple[str, Any]]) -> None:
        for key in keys:
            self.first.setdefault(key, earlier)


@dataclass
class _Existing:
    ids: dict[str, str]  # id -> title
    by_key: dict[tuple[str, str], str]  # (reason, key) -> id
    by_name: dict[tuple[str, str], str]  # (country, folded name) -> id (see ``_country``)
    names_in: dict[str, list[tuple[str, str]]]  # country -> [(folded name, id)]


def _load(database: Database, kind: str) -> _Existing:
    model = RECORD_MODELS[kind]
    names, contacts = NAME_FIELDS[kind], CONTACT_FIELDS[kind]
    scoped = [SCOPE_FIELDS[kind]] if kind in SCOPE_FIELDS else []
    columns = [model.id, *(getattr(model, n) for n in (*names, *contacts, *scoped))]
    has_country = hasattr(model, "country")
    if has_country:
        columns.append(model.country)
    found = _Existing({}, {}, {}, defaultdict(list))
    with database.read() as session:
        for row in session.execute(select(*columns).where(model.deleted.is_(False))):
            values = dict(row._mapping)
            record_id = values["id"]
            name = _name(kind, values)
            found.ids[record_id] = _title(kind, values)
            for contact in _contact_keys(kind, values):
                found.by_key.setdefault(contact, record_id)
            if name:
                country = _country(kind, values)
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
    """What each row (number, cleaned values with ``id``) looks like, by row: an existing record,
    or an earlier row of the same file."""
    from rapidfuzz import fuzz, process

    existing = _load(database, kind)
    earlier_rows = _EarlierRows(kind)
    matches: dict[int, DuplicateMatch] = {}
    choices = {country: [name for name, _id in names] for country, names in existing.names_in.items()}
    any_existing = bool(existing.ids)  # a first import: only the file's own repeats to look for

    for number, values in rows:
        name, country = _name(kind, values), _country(kind, values)
        keys: list[tuple[str, Any]] = list(_contact_keys(kind, values))
        if name:
            keys.append(("name", (country, name)))
        match = None
        if any_existing:
            hit = _same_as_existing(existing, values.get("id"), keys)
            if hit is not None:
                match = DuplicateMatch(number, hit[0], hit[1], 100, existing.ids[hit[0]])
        # A row that names its own id (an export read back) is that record: never a repeat of
        # another row (an id given twice is an error of its own).
        if match is None and not values.get("id"):
            match = earlier_rows.match(number, keys, existing.ids)
        if match is None and name and any_existing:
            close = _close_name(existing, choices.get(country, []), name, country, fuzz, process)
            if close is not None:
                record_id, score = close
                match = DuplicateMatch(number, record_id, "similar_name", score, existing.ids[record_id])
        if match is None:
            earlier_rows.add(number, values, keys)
            continue
        earlier_rows.lend(match.same_row or match.record_id or "", keys)
        matches[number] = match
    return matches


def _same_as_existing(
    existing: _Existing, requested: str | None, keys: Sequence[tuple[str, Any]]
) -> tuple[str, str] | None:
    """(id, reason) of the existing record with the row's id, or an email, website, phone or
    name + country equal to the row's (in that order)."""
    if requested and requested in existing.ids:
        return requested, "id"
    for reason, key in keys:
        if reason != "name" and (reason, key) in existing.by_key:
            return existing.by_key[(reason, key)], reason
    named = next((key for reason, key in keys if reason == "name"), None)
    if named is not None and named in existing.by_name:
        return existing.by_name[named], "name"
    return None


def _close_name(
    existing: _Existing, choices: list[str], name: str, country: str, fuzz: Any, process: Any
) -> tuple[str, int] | None:
    """The existing record whose name is close to ``name`` in the same country, with the score."""
    candidates = existing.names_in.get(country, [])
    if not candidates or len(candidates) > MAX_FUZZY_CANDIDATES:
        return None
    close = process.extract(name, choices, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_SCORE, limit=5)
    # "Forum 2025" and "Forum 2026", "Partner 15" and "Partner 105": numbers tell records apart.
    numbers = _NUMBERS.findall(name)
    best = next((c for c in close if _NUMBERS.findall(c[0]) == numbers), None)
    if best is None:
        return None
    return candidates[best[2]][1], int(best[1])
