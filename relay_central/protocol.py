"""Protocol negotiation: a client outside the supported range gets HTTP 426 and a clear message."""

from __future__ import annotations

from fastapi import Request

from relay_app.i18n import _
from relay_app.sync.wire import PROTOCOL_HEADER
from relay_central.errors import ApiError
from relay_central.settings import Settings


def _mismatch(settings: Settings, client: int | None, code: str, message: str) -> ApiError:
    return ApiError(
        426,
        code,
        message,
        headers={"Upgrade": f"{PROTOCOL_HEADER}/{settings.protocol_max}"},
        supported={"min": settings.protocol_min, "max": settings.protocol_max},
        client=client,
    )


def check_protocol(settings: Settings, header: str | None, *, required: bool) -> int | None:
    """The client's protocol version (None when absent and not required), else HTTP 426."""
    if header is None:
        if not required:
            return None
        raise _mismatch(
            settings,
            None,
            "protocol_missing",
            _("This version of Relay is too old to sync with this central server. "
              "Please update Relay."),
        )
    try:
        client = int(header.strip())
    except ValueError:
        client = None
    if client is None:
        raise _mismatch(
            settings,
            None,
            "protocol_unreadable",
            _("The sync protocol version sent by Relay could not be read. Please update Relay."),
        )
    if client < settings.protocol_min:
        raise _mismatch(
            settings,
            client,
            "protocol_too_old",
            _("This version of Relay (sync protocol {client}) is too old for the central server, "
              "which needs protocol {min} to {max}. Please update Relay before syncing; your "
              "local changes are kept until then.").format(
                client=client, min=settings.protocol_min, max=settings.protocol_max
            ),
        )
    if client > settings.protocol_max:
        raise _mismatch(
            settings,
            client,
            "protocol_too_new",
            _("This version of Relay (sync protocol {client}) is newer than the central server, "
              "which supports protocol {min} to {max}. Ask your coordinator to update the "
              "server; your local changes are kept until then.").format(
                client=client, min=settings.protocol_min, max=settings.protocol_max
            ),
        )
    return client


def require_protocol(request: Request) -> int:
    """Dependency of the sync endpoints: the Relay-Protocol header must be present and supported.

    Its value, the version the request speaks, decides what an answer may hold (pull, records).
    """
    client = check_protocol(
        request.app.state.settings, request.headers.get(PROTOCOL_HEADER), required=True
    )
    assert client is not None  # a missing required header was refused above
    return client


def accept_protocol(request: Request) -> None:
    """Dependency of the other API endpoints: checked only when the client sends it."""
    check_protocol(request.app.state.settings, request.headers.get(PROTOCOL_HEADER), required=False)
