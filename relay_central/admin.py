"""What an administrator does from the command line: relays, enrolment codes, revocation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from relay_app.i18n import _
from relay_central.auth import hash_secret, new_enrolment_code
from relay_central.db import Database, server_state
from relay_central.models import Device, EnrolmentCode, Relay, utc_now
from relay_central.regions import unknown_regions


class AdminError(ValueError):
    """A refusal worded for the administrator."""


@dataclass(frozen=True)
class RelaySummary:
    name: str
    email: str
    regions: list[str]
    active: bool
    devices: int


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
