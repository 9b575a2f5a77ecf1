"""What an administrator does from the command line: relays, enrolment codes, revocation, files."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from relay_app.i18n import _
from relay_central import scope
from relay_central.auth import hash_secret, new_enrolment_code
from relay_central.blobs import blob_path, upload_path
from relay_central.db import Database, next_change_seq, server_state
from relay_central.models import (
    Attachment,
    Device,
    EnrolmentCode,
    Record,
    RecordVersion,
    Relay,
    Upload,
    utc_now,
)
from relay_central.regions import unknown_regions
from relay_central.settings import Settings

_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


class AdminError(ValueError):
    """A refusal worded for the administrator."""


@dataclass(frozen=True)
class RelaySummary:
    name: str
    email: str
    regions: list[str]
    active: bool
    devices: int


@dataclass(frozen=True)
class FileDeletion:
    """What `delete_file` removed: the stored file (if held), links deleted, uploads dropped."""

    sha256: str
    stored: bool
    links: int
    uploads: int


def normalise_email(email: str) -> str:
    return email.strip().lower()


def add_relay(
    database: Database,
    *,
    name: str,
    email: str,
    regions: list[str],
    code_days: int = 14,
) -> str:
    """Create the relay (or update and reactivate it) and return a new one-time enrolment code.

    Giving an existing relay a new code is how a second laptop, or a reinstalled one, is enrolled.
    """
    if not regions:
        raise AdminError(_("A relay needs at least one region."))
    unknown = unknown_regions(regions)
    if unknown:
        raise AdminError(
            _("Unknown region(s): {regions}. Use UN M49 sub-region slugs such as "
              "western_europe.").format(regions=", ".join(unknown))
        )
    address = normalise_email(email)
    if "@" not in address:
        raise AdminError(_("{email} is not an e-mail address.").format(email=email))
    code = new_enrolment_code()
    with database.writing() as session:
        relay = session.scalar(select(Relay).where(Relay.email == address))
        if relay is None:
            relay = Relay(name=name.strip(), email=address, regions=sorted(set(regions)))
            session.add(relay)
        else:
            relay.name = name.strip()
            relay.regions = sorted(set(regions))
            relay.active = True
        session.flush()
        session.add(
            EnrolmentCode(
                relay_id=relay.id,
                code_hash=hash_secret(code),
                expires_at=utc_now() + timedelta(days=code_days),
            )
        )
    return code


def revoke_relay(database: Database, email: str) -> int:
    """Deactivate the relay, revoke all its devices and void its unused codes; returns devices."""
    address = normalise_email(email)
    now = utc_now()
    with database.writing() as session:
        relay = session.scalar(select(Relay).where(Relay.email == address))
        if relay is None:
            raise AdminError(_("No relay has the e-mail address {email}.").format(email=address))
        relay.active = False
        revoked = session.execute(
            update(Device)
            .where(Device.relay_id == relay.id, Device.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
        session.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.relay_id == relay.id, EnrolmentCode.used_at.is_(None))
            .values(expires_at=now)
        )
    return int(revoked or 0)


def revoke_device(database: Database, device_id: str) -> None:
    with database.writing() as session:
        device = session.scalar(select(Device).where(Device.device_id == device_id))
        if device is None:
            raise AdminError(_("No device has the id {device}.").format(device=device_id))
        if device.revoked_at is None:
            device.revoked_at = utc_now()


def list_relays(database: Database) -> list[RelaySummary]:
    with database.reading() as session:
        relays = session.scalars(select(Relay).order_by(Relay.email)).all()
        counts: dict[int, int] = {}
        for device in session.scalars(select(Device).where(Device.revoked_at.is_(None))):
            counts[device.relay_id] = counts.get(device.relay_id, 0) + 1
    return [
        RelaySummary(relay.name, relay.email, list(relay.regions), relay.active,
                     counts.get(relay.id, 0))
        for relay in relays
    ]


def reset_cursors(database: Database) -> None:
    """Give the server a new identity so that every client's next pull answers `resync`.

    Run after restoring a backup: cursors issued after the backup was taken name positions
    the restored feed reuses for other changes.
    """
    with database.writing() as session:
        server_state(session).server_id = secrets.token_hex(16)


def code_is_usable(code: EnrolmentCode, now: datetime) -> bool:
    return code.used_at is None and code.expires_at > now


def delete_file(database: Database, settings: Settings, sha256: str) -> FileDeletion:
    """Remove a stored file: its bytes, its uploads in progress, and every live link to it.

    The links become tombstones at the end of the change feed (as if a relay had deleted
    them), so every relay's next pull removes them and its app stops offering, fetching and
    uploading the file.
    """
    wanted = sha256.strip().lower()
    if _SHA256.fullmatch(wanted) is None:
        raise AdminError(_("{value} is not a SHA-256 hash (64 hexadecimal digits).").format(
            value=sha256))
    with database.writing() as session:
        attachment = session.get(Attachment, wanted)
        links = session.scalars(
            select(Record).where(
                Record.kind == scope.ATTACHMENTS,
                Record.deleted.is_(False),
                Record.values["sha256"].as_string() == wanted,
            )
        ).all()
        uploads = session.scalars(select(Upload).where(Upload.sha256 == wanted)).all()
        if attachment is None and not links and not uploads:
            raise AdminError(_("The server holds no file {sha256}.").format(sha256=wanted))
        if attachment is not None:
            session.delete(attachment)
        for upload in uploads:
            session.delete(upload)
        for link in links:
            _tombstone(session, link)
        upload_ids = [upload.id for upload in uploads]
    blob_path(settings, wanted).unlink(missing_ok=True)
    for upload_id in upload_ids:
        upload_path(settings, upload_id).unlink(missing_ok=True)
    return FileDeletion(wanted, attachment is not None, len(links), len(upload_ids))


def _tombstone(session: Session, record: Record) -> None:
    """The record's next version, deleted, written by no device (an administrator)."""
    now = utc_now()
    record.version += 1
    record.deleted = True
    record.change_seq = next_change_seq(session)
    record.updated_at = now
    record.updated_by = None
    record.writer_informed = False
    session.add(RecordVersion(kind=record.kind, id=record.id, version=record.version,
                              deleted=True, values=record.values, created_at=now, device=None))
