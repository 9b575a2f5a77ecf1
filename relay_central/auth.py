"""Device tokens and enrolment codes: made here, stored only as sha256, checked on every request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from sqlalchemy import select

from relay_app.i18n import _
from relay_central.db import Database
from relay_central.errors import ApiError
from relay_central.models import Device, Relay, utc_now

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 4
_CODE_GROUP_LENGTH = 4
# last_seen_at is refreshed at most this often, so that reads stay reads.
_SEEN_GRANULARITY = timedelta(minutes=5)
# The request state key under which the middleware leaves the device it authenticated.
ADMITTED_ACTOR = "actor"


@dataclass(frozen=True)
class Actor:
    """The relay (and device) behind an authenticated request."""

    device_pk: int
    device_id: str
    relay_id: int
    email: str
    regions: frozenset[str]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    groups = (
        "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUP_LENGTH))
        for _ in range(_CODE_GROUPS)
    )
    return "-".join(groups)


def normalise_code(code: str) -> str:
    """Accept the code as people type it: any case, spaces or dashes, O for 0 and I or L for 1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    size = _CODE_GROUP_LENGTH
    return "-".join(cleaned[i : i + size] for i in range(0, len(cleaned), size))


def seen_since_enrolment(device: Device) -> bool:
    """The device has made an authenticated request with its current token.

    The first such request is always recorded (whatever the refresh granularity): it ends the
    time in which the enrolment answer may be asked for again (relay_central.enrolment).
    """
    return device.last_seen_at is not None and device.last_seen_at >= device.enrolled_at


def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer …` header, or a 401 JSON error."""
    scheme, _sep, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(
            "unauthorized", _("This request needs the device token given at enrolment.")
        )
    return token.strip()


def authenticate(database: Database, authorization: str | None) -> Actor:
    """The device behind an `Authorization` header, or a 401 JSON error."""
    token = bearer_token(authorization)
    with database.reading() as session:
        row = session.execute(
            select(Device, Relay)
            .join(Relay, Relay.id == Device.relay_id)
            .where(Device.token_hash == hash_secret(token))
        ).first()
    if row is None:
        raise _unauthorized("unauthorized", _("This device token is not known to the server."))
    device, relay = row
    if device.revoked_at is not None or not relay.active:
        raise _unauthorized(
            "revoked",
            _("This device's access was revoked. Ask your coordinator for a new enrolment code."),
        )
    now = utc_now()
    last_seen = device.last_seen_at
    if last_seen is None or not seen_since_enrolment(device) or now - last_seen > _SEEN_GRANULARITY:
        with database.writing() as session:
            seen = session.get(Device, device.id)
            if seen is not None:
                seen.last_seen_at = now
    return Actor(
        device_pk=device.id,
        device_id=device.device_id,
        relay_id=relay.id,
        email=relay.email,
        regions=frozenset(relay.regions),
    )


def current_actor(request: Request) -> Actor:
    """FastAPI dependency: the device behind the bearer token, or a 401 JSON error.

    Requests with a body were already authenticated by RequestBodyMiddleware, before their body
    was read: its answer is reused rather than asked of the database again.
    """
    admitted = getattr(request.state, ADMITTED_ACTOR, None)
    if isinstance(admitted, Actor):
        return admitted
    actor = authenticate(request.app.state.database, request.headers.get("authorization"))
    request.state.relay = actor.email
    return actor
