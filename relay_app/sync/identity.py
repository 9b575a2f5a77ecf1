"""Which server a device is enrolled with: the server's lasting id, not the address typed.

A token is sent only to the enrolled server. An address not used before is first asked who it is
(``GET /api/v1/server``, no token): the same id means the same server reached another way (a new
domain, a proxy, https), and that address becomes the default; another id stops the sync.

The default address is asked again before a run (by the engine) whose last such check of it is
older than ``CHECK_MAX_AGE`` (``confirm_server``), on the run's own connection, so a name that now leads to
another server gets no token. Every run also compares the id in its ``meta`` answer (the engine),
which stops it before anything is pushed. The id is public, so this guards against reaching the
wrong server by mistake (a name moved, a server replaced); only https keeps an impostor out.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from relay_app.store.database import Database
from relay_app.store.types import utc_now
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
from relay_app.sync.state import (
    RELAY_NAME,
    SERVER_CHECKED,
    SERVER_ID,
    SERVER_URL,
    read_state,
    write_state,
)

# How long one tokenless check of the default address holds: about one more round trip an hour
# of syncing (measured in docs/sync-client.md, "Which server").
CHECK_MAX_AGE = timedelta(hours=1)


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
        if server_id:  # the server at this address just answered with its id
            _remember_check(session, url)


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
        _remember_check(session, wanted)
    return ServerAccess(wanted, token)


def confirm_server(database: Database, client: SyncClient) -> None:
    """Before a run's first request with the token to the default address: ask it who it is (no
    token) unless that was asked within ``CHECK_MAX_AGE``. Another id is ``OtherServer``.

    Asked on the run's own client, so the run's requests go on over the connection it opened.
    Another address was checked when it was chosen (``reach_enrolled_server``). A link too poor
    to answer leaves the check to the next run (the run's ``meta`` answer is compared anyway); a
    Wi-Fi login page or a failing server stops the run, as it would anyway.
    """
    enrolled = enrolled_server(database)
    url = client.server_url
    if enrolled is None or enrolled.server_id is None or url != enrolled.url:
        return
    with database.read() as session:
        if _checked_recently(session, url, utc_now()):
            return
    try:
        found = client.identify().server_id
    except TransientFailure:
        return
    except (Cancelled, ServerTrouble):
        raise
    except SyncError:
        found = None  # no server id there (404): not the server enrolled with, which has one
    if found != enrolled.server_id:
        raise OtherServer(enrolled.url, url)
    with database.write() as session:
        _remember_check(session, url)


def explain_refused_token(database: Database, client: SyncClient) -> None:
    """The token was refused (401): ``OtherServer`` if the address now leads to another server,
    whose refusal is no reason to enrol again. The next run then asks before sending the token."""
    enrolled = enrolled_server(database)
    if enrolled is None or enrolled.server_id is None:
        return
    try:
        found = client.identify().server_id
    except SyncError:
        return  # no clearer words to be had: the refusal stands
    if found != enrolled.server_id:
        with database.write() as session:
            write_state(session, SERVER_CHECKED, None)
        raise OtherServer(enrolled.url, client.server_url)


def check_answered_id(database: Database, url: str, server_id: str | None) -> None:
    """``OtherServer`` when an answer (``meta``) names another server than the enrolled one."""
    enrolled = enrolled_server(database)
    if enrolled is not None and enrolled.server_id and server_id and server_id != enrolled.server_id:
        raise OtherServer(enrolled.url, url)


def _checked_recently(session: Session, url: str, now: datetime) -> bool:
    stored = read_state(session, SERVER_CHECKED)
    if not stored:
        return False
    try:
        checked = json.loads(stored)
        at = datetime.fromisoformat(checked["at"])
    except (ValueError, KeyError, TypeError):
        return False
    # A check "from the future" was stamped by a clock since set back: not trusted.
    return checked.get("url") == url and now - CHECK_MAX_AGE < at <= now


def _remember_check(session: Session, url: str) -> None:
    write_state(session, SERVER_CHECKED, json.dumps({"url": url, "at": utc_now().isoformat()}))


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
        _remember_check(session, enrolled.url)
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
