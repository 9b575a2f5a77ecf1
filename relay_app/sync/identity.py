"""Which server a device is enrolled with: the server's lasting id, not the address typed.

A token is sent only to the enrolled server. An address not used before is first asked who it is
(``GET /api/v1/server``, no token): the same id means the same server reached another way (a new
domain, a proxy, https), and that address becomes the default; another id stops the sync.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from relay_app.store.database import Database
from relay_app.sync.client import SyncClient, Timeouts, TransientFailure
from relay_app.sync.credentials import TokenStore, token_key
from relay_app.sync.errors import (
    Cancelled,
    NotEnrolled,
    Offline,
    OtherServer,
    ServerTrouble,
    SyncError,
)
from relay_app.sync.state import RELAY_NAME, SERVER_ID, SERVER_URL, read_state, write_state


@dataclass(frozen=True)
class EnrolledServer:
    url: str  # the address syncs use by default
    server_id: str | None  # None: enrolled before server ids, or with a server that reports none


@dataclass(frozen=True)
class ServerAccess:
    """Where this sync goes and the token it sends."""

    url: str
    token: str


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def enrolled_server(database: Database) -> EnrolledServer | None:
    with database.read() as session:
        url = read_state(session, SERVER_URL)
        server_id = read_state(session, SERVER_ID)
    return EnrolledServer(url, server_id) if url else None


def enrolled_token(database: Database, data_dir: Path) -> str | None:
    """This device's token for the server it is enrolled with, if it holds one."""
    enrolled = enrolled_server(database)
    return TokenStore(data_dir).find(enrolled.server_id, enrolled.url) if enrolled else None


def remember_enrolment(
    database: Database,
    data_dir: Path,
    url: str,
    server_id: str | None,
    token: str,
    relay_name: str,
) -> None:
    store = TokenStore(data_dir)
    store.save(token_key(server_id, url), token)
    if server_id:
        store.forget(url)  # a token an older version kept under this address is replaced
    with database.write() as session:
        write_state(session, SERVER_URL, url)
        write_state(session, SERVER_ID, server_id)
        write_state(session, RELAY_NAME, relay_name)


def reach_enrolled_server(
    database: Database,
    data_dir: Path,
    url: str | None = None,
    *,
    timeouts: Timeouts | None = None,
    cancel: threading.Event | None = None,
) -> ServerAccess:
    """The address to sync with (``url``, or the default) and the token to send there.

    ``NotEnrolled`` without a token; ``OtherServer`` when ``url`` leads to another server, and
    then nothing is stored or sent; ``Offline`` when ``url`` cannot be asked who it is.
    """
    enrolled = enrolled_server(database)
    store = TokenStore(data_dir)
    token = store.find(enrolled.server_id, enrolled.url) if enrolled else None
    if enrolled is None or not token:
        raise NotEnrolled()
    if enrolled.server_id is None:
        enrolled = _learn_server_id(database, store, enrolled, token, timeouts, cancel)
    wanted = normalise_url(url or enrolled.url)
    if wanted == enrolled.url:
        return ServerAccess(wanted, token)
    if enrolled.server_id is None:
        raise NotEnrolled()  # without the enrolled server's id there is no telling it is the same
    try:
        found = _server_id_at(wanted, timeouts, cancel)
    except TransientFailure as error:
        raise Offline(str(error)) from error
    if found != enrolled.server_id:
        raise OtherServer(enrolled.url, wanted)
    with database.write() as session:
        write_state(session, SERVER_URL, wanted)
    return ServerAccess(wanted, token)


def _learn_server_id(
    database: Database,
    store: TokenStore,
    enrolled: EnrolledServer,
    token: str,
    timeouts: Timeouts | None,
    cancel: threading.Event | None,
) -> EnrolledServer:
    """Enrolled by a version that kept the token under the URL: ask the server there its id and
    keep the token under it. Unreachable (or a server without ids): as before, try next time."""
    try:
        found = _server_id_at(enrolled.url, timeouts, cancel)
    except TransientFailure:
        return enrolled
    if found is None:
        return enrolled
    store.save(token_key(found, enrolled.url), token)
    with database.write() as session:
        write_state(session, SERVER_ID, found)
    store.forget(enrolled.url)
    return EnrolledServer(enrolled.url, found)


def _server_id_at(
    url: str, timeouts: Timeouts | None, cancel: threading.Event | None
) -> str | None:
    """The id the server at ``url`` reports; None when it reports none (an older server, or no
    Relay server at all). Network failures are ``TransientFailure``; a Wi-Fi login page or a
    failing server is said as such (``ServerTrouble``), not taken for another server."""
    client = SyncClient(url, timeouts=timeouts, cancel=cancel)
    try:
        return client.identify().server_id
    except (Cancelled, TransientFailure, ServerTrouble):
        raise
    except SyncError:
        return None
    finally:
        client.close()
