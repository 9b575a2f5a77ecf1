"""The same person registered twice: found, offered for merge, merged as a change that syncs.

Two registrations of one forum are suggested as the same person when their normalised emails are
equal, or their normalised phone numbers, or their names are close (accents, case and word order
folded, scored by ``rapidfuzz``), a little less close when they give the same organisation. They
are suggestions for a person to confirm, never merged on their own.

A merge keeps one registration and fills every field it left empty from the other; the other
becomes a tombstone whose ``merged_into`` names the kept one. Check-ins are never moved (the
check-in log is append-only): a scan of a merged-away registration counts as a scan of the one it
was merged into, through ``resolve_merged``.

On the wire a delete carries no values, so the tombstone is written in two steps: the merge sends
``merged_into`` as an ordinary edit while the registration is already hidden here, and
``settle_merges`` sends the delete once that edit has left the outbox (the server then keeps the
pointer in its tombstone, and every device pulls it). The sync engine settles right after storing
its push receipts and pushes those deletes in the same run, so one sync completes a merge. A device that pulls
a live registration with ``merged_into`` set deletes it the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from relay_app.codelists import sort_key
from relay_app.i18n import N_, _
from relay_app.services.errors import NotFound, ServiceError
from relay_app.services.outbox import record_change
from relay_app.services.records import RecordService, RecordView
from relay_app.store.database import Database
from relay_app.store.models import MergeTombstoneDue, PendingChange, Registration
from relay_app.store.types import utc_now

REGISTRATIONS = "registrations"
NAME_SCORE = 90  # token-sorted similarity (0-100) of folded names that suggests one person
SAME_ORGANISATION_NAME_SCORE = 82  # a typo-level difference, when the organisation is the same
PHONE_DIGITS = 9  # national numbers: "+33 6 12 34 56 78" and "06 12 34 56 78" are one phone
MIN_PHONE_DIGITS = 6
MAX_MERGE_CHAIN = 20  # a cycle of pointers (two devices merging both ways) stops here

REASONS: Mapping[str, str] = {
    "email": N_("same email"),
    "phone": N_("same phone number"),
    "name": N_("similar name"),
}
# Check-in fields travel together: the earlier arrival wins as a whole.
CHECK_IN_FIELDS = ("checked_in_at", "checked_in_by")
NOT_MERGED = ("merged_into", "forum_id", *CHECK_IN_FIELDS)


class MergeRefused(ServiceError):
    """A merge that cannot be made; ``str(error)`` says why to the person."""


@dataclass(frozen=True)
class DuplicateGroup:
    """Registrations that look like one person, in the order a list shows them."""

    ids: tuple[str, ...]
    reason: str  # a key of REASONS: the strongest link found between them

    def to_json(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "reason": self.reason}

    def reason_text(self) -> str:
        return _(REASONS[self.reason])


# -- keys --------------------------------------------------------------------------------------


class _WithoutMarks(dict[int, int | None]):
    """A ``str.translate`` table that drops combining marks, filled in as characters are met: the
    same as testing each character, at a dictionary lookup's price (an import folds 50,000 names)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case, without accents, words sorted: "Émile  DURAND" and "durand emile" match."""
    if text.isascii():  # nothing to decompose
        bare = text.casefold()
    else:
        bare = unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS).casefold()
    return " ".join(sorted(_WORD.findall(bare)))


def email_key(email: str | None) -> str | None:
    cleaned = (email or "").strip().casefold()
    return cleaned or None


def phone_key(phone: str | None) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    return digits[-PHONE_DIGITS:]


def name_key(values: Mapping[str, Any]) -> str:
    return fold(f"{values.get('first_name') or ''} {values.get('last_name') or ''}")


# -- finding -----------------------------------------------------------------------------------


def find_duplicates(people: Sequence[RecordView]) -> list[DuplicateGroup]:
    """Groups of registrations (of one forum) that look like one person, best evidence first."""
    from rapidfuzz import fuzz, process

    links: list[tuple[int, int, str]] = []
    for reason, key in (("email", email_key), ("phone", phone_key)):
        seen: dict[str, int] = {}
        for index, person in enumerate(people):
            value = key(person.values.get(reason))
            if value is None:
                continue
            if value in seen:
                links.append((seen[value], index, reason))
            else:
                seen[value] = index
    names = [name_key(person.values) for person in people]
    organisations = [fold(str(person.values.get("organisation") or "")) for person in people]
    for first, name in enumerate(names):
        if not name:
            continue
        # rapidfuzz compares in C++; scores below the lower threshold are never returned
        close = process.extract(
            name, names[first + 1:], scorer=fuzz.token_sort_ratio,
            score_cutoff=SAME_ORGANISATION_NAME_SCORE, limit=None,
        )
        for _match, score, offset in close:
            second = first + 1 + offset
            same_organisation = bool(organisations[first]) and organisations[first] == organisations[second]
            if score >= NAME_SCORE or same_organisation:
                links.append((first, second, "name"))
    return _groups(people, links)


def _groups(people: Sequence[RecordView], links: list[tuple[int, int, str]]) -> list[DuplicateGroup]:
    parent = list(range(len(people)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    strength = {reason: rank for rank, reason in enumerate(REASONS)}
    best: dict[int, str] = {}
    for first, second, _reason in links:
        parent[root(first)] = root(second)
    for first, _second, reason in links:
        group = root(first)
        if group not in best or strength[reason] < strength[best[group]]:
            best[group] = reason
    members: dict[int, list[RecordView]] = {}
    for index, person in enumerate(people):
        if root(index) in best:
            members.setdefault(root(index), []).append(person)
    groups = []
    for group, found in members.items():
        found.sort(key=lambda person: (person.created_at, person.id))  # the first registered first
        groups.append(DuplicateGroup(tuple(person.id for person in found), best[group]))
    groups.sort(key=lambda group: (strength[group.reason], sort_key(_first_name_of(people, group))))
    return groups


def _first_name_of(people: Sequence[RecordView], group: DuplicateGroup) -> str:
    return next(person.summary for person in people if person.id == group.ids[0])


# -- following merges --------------------------------------------------------------------------


def resolve_merged_in(session: Session, registration_id: str) -> str:
    """The registration that ``registration_id`` was (perhaps repeatedly) merged into, else itself.

    The rule for everything derived from check-ins: a scan of a merged-away registration is a
    scan of the kept one.
    """
    current = registration_id
    for _step in range(MAX_MERGE_CHAIN):
        target = session.scalar(select(Registration.merged_into).where(Registration.id == current))
        if not target or target == registration_id:
            return current
        current = target
    return current


def resolve_merged(database: Database, registration_id: str) -> str:
    """``resolve_merged_in`` in a read transaction of its own."""
    with database.read() as session:
        return resolve_merged_in(session, registration_id)


def merged_pointers(session: Session) -> dict[str, str]:
    """Every merged-away registration and the one it ends up in: for counting many scans at once."""
    pointers = dict(
        session.execute(
            select(Registration.id, Registration.merged_into).where(Registration.merged_into.is_not(None))
        ).all()
    )
    resolved: dict[str, str] = {}
    for start in pointers:
        current = start
        for _step in range(MAX_MERGE_CHAIN):
            following = pointers.get(current)
            if following is None or following == start:
                break
            current = following
        resolved[start] = current
    return resolved


# -- merging -----------------------------------------------------------------------------------


def merged_values(kept: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The kept values, each empty one filled from the other; the earlier check-in wins whole."""
    values = dict(kept)
    for name, value in other.items():
        if name in NOT_MERGED:
            continue
        if values.get(name) in (None, "", []) and value not in (None, "", []):
            values[name] = value
    if other.get("travel_support"):
        values["travel_support"] = True  # asked for on either registration: still asked for
    theirs, mine = other.get("checked_in_at"), kept.get("checked_in_at")
    if theirs is not None and (mine is None or theirs < mine) and values.get("status") == "registered":
        for name in CHECK_IN_FIELDS:
            values[name] = other.get(name)
    return values


class DuplicateService:
    """Duplicate suggestions and merges over the registrations of one data dir."""

    def __init__(self, database: Database, registrations: RecordService) -> None:
        self.database = database
        self.registrations = registrations

    def duplicates(self, forum_id: str) -> list[DuplicateGroup]:
        self.settle_merges()
        people = self.registrations.list(filters={"forum_id": forum_id})
        return find_duplicates(people)

    def merge(self, keep_id: str, other_id: str) -> RecordView:
        """Keep ``keep_id`` with every field answered on either; ``other_id`` becomes its tombstone."""
        if keep_id == other_id:
            raise MergeRefused(_("A registration cannot be merged into itself."))
        service = self.registrations
        with self.database.write() as session:
            rows = {}
            for registration_id in (keep_id, other_id):
                try:
                    rows[registration_id] = service._row(session, registration_id)
                except NotFound:
                    raise MergeRefused(
                        _("No registration with id {id}: it may have been merged or deleted already.")
                        .format(id=registration_id)
                    ) from None
            kept, other = rows[keep_id], rows[other_id]
            if kept.forum_id != other.forum_id:
                raise MergeRefused(_("These registrations are for different forums: they stay apart."))
            fields = service.form.field_names()
            kept_values = {name: getattr(kept, name) for name in fields}
            other_values = {name: getattr(other, name) for name in fields}
            cleaned = service.validated(merged_values(kept_values, other_values))
            service.apply(session, kept, cleaned)
            # The pointer first, as an edit: it must reach the server before the delete does.
            other.merged_into = kept.id
            other.deleted = True
            other.deleted_at = other.updated_at = utc_now()
            other.dirty_fields = sorted({*(other.dirty_fields or ()), "merged_into"})
            record_change(session, REGISTRATIONS, other.id, "upsert", ["merged_into"])
            session.merge(MergeTombstoneDue(registration_id=other.id, kept_id=kept.id, merged_at=utc_now()))
            return service.view(kept)

    def settle_merges(self) -> int:
        """Send the delete of every merged-away registration whose pointer has left the outbox.

        Also deletes live registrations pulled with ``merged_into`` set (merged on another device
        whose delete has not arrived yet). Returns how many deletes were recorded.
        """
        with self.database.write() as session:
            return len(settle_merges_in(session))


def merges_to_settle(session: Session) -> bool:
    """Whether a merge's delete may be waiting: the sync engine is not idle while one is."""
    waiting = select(MergeTombstoneDue.registration_id).limit(1)
    live_merged = select(Registration.id).where(
        Registration.merged_into.is_not(None), Registration.deleted.is_(False)
    ).limit(1)
    return session.scalar(waiting) is not None or session.scalar(live_merged) is not None


def settle_merges_in(session: Session) -> list[str]:
    """``settle_merges`` in the caller's transaction; returns the ids whose delete was recorded."""
    pending = set(
        session.scalars(select(PendingChange.record_id).where(PendingChange.kind == REGISTRATIONS))
    )
    due = {entry.registration_id: entry for entry in session.scalars(select(MergeTombstoneDue))}
    live_merged = session.scalars(
        select(Registration).where(Registration.merged_into.is_not(None), Registration.deleted.is_(False))
    ).all()
    settled: list[str] = []
    for row in live_merged:
        if row.id not in pending:
            _tombstone(session, row)
            settled.append(row.id)
            due.pop(row.id, None)
            session.execute(delete(MergeTombstoneDue).where(MergeTombstoneDue.registration_id == row.id))
    for registration_id in due:
        if registration_id in pending:
            continue  # the pointer is still on its way
        row = session.scalar(select(Registration).where(Registration.id == registration_id))
        if row is not None:
            _tombstone(session, row)
            settled.append(row.id)
        session.execute(
            delete(MergeTombstoneDue).where(MergeTombstoneDue.registration_id == registration_id)
        )
    return settled


def _tombstone(session: Session, row: Registration) -> None:
    now = utc_now()
    if not row.deleted:
        row.deleted = True
        row.deleted_at = now
    row.updated_at = now
    record_change(session, REGISTRATIONS, row.id, "delete")
