"""What a relay may write and read: records of its own regions, registrations of its forums.

The region of a partner, practice or forum is its `region` field (or, when empty, the region of
its `country`); the region of a registration is the region of its forum as the server holds it;
the region of an attachment (a file's link, protocol 2) is the region of its owner, a partner or a
practice, as the server holds it; the region of a check-in (protocol 3) is the region of its
registration's forum. Everything but registrations and check-ins is readable by every relay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay_app.codelists import get as code_list
from relay_app.codelists import region_of_country
from relay_central.auth import Actor
from relay_central.models import Record

REGION_FIELD = "region"
COUNTRY_FIELD = "country"
FORUM_FIELD = "forum_id"
REGISTRATIONS = "registrations"
FORUMS = "forums"
ATTACHMENTS = "attachments"
CHECKINS = "checkins"
REGISTRATION_FIELD = "registration_id"
# Kinds read only by the relays of their forum's region: the server keeps that forum in the
# record's `forum_id` column (a check-in's is its registration's forum).
FORUM_SCOPED = (REGISTRATIONS, CHECKINS)
OWNER_KIND_FIELD = "owner_kind"
OWNER_ID_FIELD = "owner_id"
# The kinds whose records may own files: partners and practices.
FILE_OWNERS = frozenset(code_list("file_owners").codes())


def own_region(values: Mapping[str, Any]) -> str | None:
    """The region written in a partner, practice or forum."""
    region = values.get(REGION_FIELD)
    if isinstance(region, str) and region:
        return region
    country = values.get(COUNTRY_FIELD)
    return region_of_country(country) if isinstance(country, str) else None


def forum_of(values: Mapping[str, Any]) -> str | None:
    forum = values.get(FORUM_FIELD)
    return forum if isinstance(forum, str) and forum else None


def registration_of(values: Mapping[str, Any]) -> str | None:
    """The registration a check-in is a scan of."""
    registration = values.get(REGISTRATION_FIELD)
    return registration if isinstance(registration, str) and registration else None


def registration_forum(session: Session, values: Mapping[str, Any]) -> str | None:
    """The forum of a check-in's registration as the server holds it, else None."""
    registration = registration_of(values)
    if registration is None:
        return None
    stored = session.scalar(
        select(Record.forum_id).where(Record.kind == REGISTRATIONS, Record.id == registration)
    )
    return stored if isinstance(stored, str) and stored else None


def owner_of(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (kind, id) of the partner or practice a file's link names, if it names one."""
    kind = values.get(OWNER_KIND_FIELD)
    record_id = values.get(OWNER_ID_FIELD)
    if kind in FILE_OWNERS and isinstance(record_id, str) and record_id:
        return str(kind), record_id
    return None


def forum_region(session: Session, forum_id: str | None) -> str | None:
    """The region of a forum the server holds, else None.

    A deleted forum keeps its region, so that its registrations can still be cleaned up by the
    relays of that region (and are not lost when made offline before the delete arrived).
    """
    if forum_id is None:
        return None
    return session.scalar(
        select(Record.region).where(Record.kind == FORUMS, Record.id == forum_id)
    )


def owner_region(session: Session, values: Mapping[str, Any]) -> str | None:
    """The region of an attachment's owner as the server holds it, else None."""
    owner = owner_of(values)
    if owner is None:
        return None
    kind, record_id = owner
    return session.scalar(select(Record.region).where(Record.kind == kind, Record.id == record_id))


def region_of(session: Session, kind: str, values: Mapping[str, Any]) -> str | None:
    if kind == REGISTRATIONS:
        return forum_region(session, forum_of(values))
    if kind == ATTACHMENTS:
        return owner_region(session, values)
    if kind == CHECKINS:
        return forum_region(session, registration_forum(session, values))
    return own_region(values)


def may_write(
    session: Session,
    actor: Actor,
    kind: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> bool:
    """True when every region the change touches (the old one and the new one) is the actor's."""
    for values in (before, after):
        if values is None:
            continue
        if region_of(session, kind, values) not in actor.regions:
            return False
    return True
