"""Enrolment: a one-time code from `relay-central add-relay` becomes a device token."""

from __future__ import annotations

from sqlalchemy import select

from relay_app.i18n import _
from relay_app.sync.wire import EnrollRequest, EnrollResponse, RelayInfo
from relay_central.admin import code_is_usable
from relay_central.auth import hash_secret, new_token, normalise_code
from relay_central.db import Database
from relay_central.errors import ApiError
from relay_central.models import Device, EnrolmentCode, Relay, utc_now
from relay_central.text import has_nul


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
        if code is None or relay is None or not relay.active or not code_is_usable(code, now):
            raise ApiError(
                403,
                "enrolment_code_invalid",
                _("This enrolment code is unknown, already used or expired. "
                  "Ask your coordinator for a new one."),
            )
        device = session.scalar(select(Device).where(Device.device_id == request.device_id))
        if device is not None and device.relay_id != relay.id:
            raise ApiError(
                409,
                "device_taken",
                _("This device is enrolled for another relay."),
            )
        if device is None:
            device = Device(
                device_id=request.device_id,
                relay_id=relay.id,
                name=request.device_name,
                token_hash=hash_secret(token),
            )
            session.add(device)
        else:
            device.name = request.device_name
            device.token_hash = hash_secret(token)
            device.revoked_at = None
            device.enrolled_at = now
        code.used_at = now
        info = RelayInfo(name=relay.name, email=relay.email, regions=list(relay.regions))
    return EnrollResponse(token=token, device_id=request.device_id, relay=info)
