"""Enrolment and the wiring of a sync engine for one data dir (used by the CLI and the window)."""

from __future__ import annotations

import platform
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from relay_app.config import Paths
from relay_app.i18n import _
from relay_app.services.outbox import device_identity
from relay_app.store.database import Database
from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.client import SyncClient, Timeouts, TransientFailure, retrying
from relay_app.sync.engine import RetrySchedule, SyncEngine
from relay_app.sync.errors import DeviceWiped, SyncError
from relay_app.sync.identity import normalise_url, reach_enrolled_server, remember_enrolment
from relay_app.sync.progress import ProgressCallback
from relay_app.sync.state import SERVER_URL, read_state
from relay_app.sync.wipe import wipe_personal_data
from relay_app.sync.wire import EnrollResponse

# A link that cuts gets this many tries at enrolment in all: the server answers the same code
# from the same device again (docs/sync-protocol.md, section 3).
ENROL_TRIES = 4


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    device_id: str
    relay_name: str
    relay_email: str
    regions: tuple[str, ...]
    server_id: str | None = None


def enroll_device(
    database: Database, data_dir: Path, server_url: str, code: str, device_name: str | None = None
) -> Enrolment:
    """Trade a one-time code for this device's token; the token goes to the token store only."""
    server_url = normalise_url(server_url)
    with database.write() as session:
        device_id = device_identity(session).device_id
    answer = _ask_for_token(server_url, code.strip(), device_id, device_name or platform.node() or "Relay")
    remember_enrolment(database, data_dir, server_url, answer.server_id, answer.token, answer.relay.name)
    return Enrolment(
        server_url=server_url,
        device_id=answer.device_id,
        relay_name=answer.relay.name,
        relay_email=answer.relay.email,
        regions=tuple(answer.relay.regions),
        server_id=answer.server_id,
    )


def _ask_for_token(server_url: str, code: str, device_id: str, device_name: str) -> EnrollResponse:
    # Tries are counted here only: urllib3 would also wait out a 429's Retry-After, silently.
    client = SyncClient(server_url, retries=0)
    try:
        return retrying(lambda: client.enroll(code, device_id, device_name), _pause_before_asking_again)
    except TransientFailure as error:
        if error.status == 429:
            raise SyncError(
                _("Too many failed enrolment attempts from this network. Check the code, wait a "
                  "minute and try again."),
                code="too_many_attempts",
                status=429,
            ) from error
        raise
    finally:
        client.close()


def _pause_before_asking_again(failures: int, error: TransientFailure) -> None:
    """A cut link or a failing server is worth a few more tries; a server that says to slow down
    is not (a person is waiting, and is told)."""
    if error.status == 429 or failures >= ENROL_TRIES:
        raise error
    time.sleep(min(0.5 * 2 ** (failures - 1), 4.0))


def stored_server(database: Database) -> str | None:
    with database.read() as session:
        return read_state(session, SERVER_URL)


def open_engine(
    database: Database,
    data_dir: Path,
    server_url: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    timeouts: Timeouts | None = None,
    batch: AdaptiveBatch | None = None,
    retries: RetrySchedule | None = None,
) -> SyncEngine:
    """An engine for the enrolled server, at its default address or at ``server_url``.

    ``NotEnrolled`` without a token, ``OtherServer`` when ``server_url`` (or the default address)
    leads to another server (see relay_app.sync.identity).
    """
    access = reach_enrolled_server(database, data_dir, server_url, timeouts=timeouts, cancel=cancel)
    client = SyncClient(access.url, access.token, timeouts=timeouts, cancel=cancel)
    return SyncEngine(database, client, progress=progress, batch=batch, retries=retries,
                      files_dir=files_dir(data_dir),
                      on_revoked=lambda: _wipe(Paths(data_dir), database))


def _wipe(paths: Paths, database: Database) -> DeviceWiped:
    report = wipe_personal_data(paths, database)
    return DeviceWiped(report.registrations, report.checkins)


def files_dir(data_dir: Path) -> Path:
    """Where a data dir keeps attachment files, each named by its sha256."""
    return data_dir / "attachments"
