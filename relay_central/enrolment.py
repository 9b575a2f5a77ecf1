"""Enrolment: a one-time code from `relay-central add-relay` becomes a device token.

An answer can be lost on a link that cuts after the server has done its work. The device that spent
the code may therefore present it again for a while and get a new token: for `ANSWER_AGAIN_FOR`
after the code was first spent, and only until the device's first authenticated request (after
that the device evidently holds a working token). Any other device id gets 403 as before.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from relay_app.i18n import _
from relay_app.sync.wire import EnrollRequest, EnrollResponse, RelayInfo
from relay_central.admin import code_is_usable
from relay_central.auth import hash_secret, new_token, normalise_code, seen_since_enrolment
from relay_central.db import Database, server_identity
from relay_central.errors import ApiError
from relay_central.models import Device, EnrolmentCode, Relay, utc_now
from relay_central.text import has_nul

ANSWER_AGAIN_FOR = timedelta(hours=24)


def enroll(database: Database, request: EnrollRequest) -> EnrollResponse:
    """Spend the code and give the device its token (shown this once; only its hash is kept).

    The same device id enrolled again by the same relay gets a new token that replaces the old.
    """
    if has_nul(request.device_id) or has_nul(request.device_name):
        raise ApiError(
            422,
            "invalid_request",
            _("The device id and name may not contain NUL characters."),
        )
    now = utc_now()
    token = new_token()
    with database.writing() as session:
        code = session.scalar(
            select(EnrolmentCode).where(
                EnrolmentCode.code_hash == hash_secret(normalise_code(request.code))
            )
        )
        relay = session.get(Relay, code.relay_id) if code is not None else None
        device = session.scalar(select(Device).where(Device.device_id == request.device_id))
        usable = code is not None and relay is not None and relay.active and (
            code_is_usable(code, now) or _asked_again(code, device, now)
        )
        if not usable:
            raise ApiError(
                403,
                "enrolment_code_invalid",
                _("This enrolment code is unknown, already used or expired. "
                  "Ask your coordinator for a new one."),
            )
        assert code is not None and relay is not None
        if device is not None and device.relay_id != relay.id:
            raise ApiError(
                409,
                "device_taken",
                _("This device is enrolled for another relay."),
            )
        device = _give_token(session, device, relay, request, hash_secret(token), now)
        if code.used_at is None:
            code.used_at = now
            code.used_by = device.id
        info = RelayInfo(name=relay.name, email=relay.email, regions=list(relay.regions))
        identity = server_identity(session)
    return EnrollResponse(token=token, device_id=request.device_id, relay=info, server_id=identity)


def _asked_again(code: EnrolmentCode, device: Device | None, now: datetime) -> bool:
    """The device that spent this code presents it again: its answer may have been lost."""
    return (
        device is not None
        and code.used_at is not None
        and code.used_by == device.id
        and now - code.used_at < ANSWER_AGAIN_FOR
        and device.revoked_at is None
        and not seen_since_enrolment(device)
    )


def _give_token(
    session: Session,
    device: Device | None,
    relay: Relay,
    request: EnrollRequest,
    token_hash: str,
    now: datetime,
) -> Device:
    """Create the device, or give the known one a new token (the old one stops working)."""
    if device is None:
        device = Device(
            device_id=request.device_id,
            relay_id=relay.id,
            name=request.device_name,
            token_hash=token_hash,
            enrolled_at=now,
        )
        session.add(device)
        session.flush()  # its id names the device that spent the code
        return device
    device.name = request.device_name
    device.token_hash = token_hash
    device.revoked_at = None
    device.enrolled_at = now
    return device
