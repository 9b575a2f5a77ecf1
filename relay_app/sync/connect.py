"""Enrolment and the wiring of a sync engine for one data dir (used by the CLI and the window)."""

from __future__ import annotations

import platform
import threading
from dataclasses import dataclass
from pathlib import Path

from relay_app.services.outbox import device_identity
from relay_app.store.database import Database
from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.client import SyncClient, Timeouts
from relay_app.sync.credentials import TokenStore
from relay_app.sync.engine import RetrySchedule, SyncEngine
from relay_app.sync.errors import NotEnrolled
from relay_app.sync.progress import ProgressCallback
from relay_app.sync.state import RELAY_NAME, SERVER_URL, read_state, write_state


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    device_id: str
    relay_name: str
    relay_email: str
    regions: tuple[str, ...]


def enroll_device(
    database: Database, data_dir: Path, server_url: str, code: str, device_name: str | None = None
) -> Enrolment:
    """Trade a one-time code for this device's token; the token goes to the token store only."""
    server_url = server_url.rstrip("/")
    with database.write() as session:
        device_id = device_identity(session).device_id
    client = SyncClient(server_url)
    answer = client.enroll(code.strip(), device_id, device_name or platform.node() or "Relay")
    TokenStore(data_dir).save(server_url, answer.token)
    with database.write() as session:
        write_state(session, SERVER_URL, server_url)
        write_state(session, RELAY_NAME, answer.relay.name)
    return Enrolment(
        server_url=server_url,
        device_id=answer.device_id,
        relay_name=answer.relay.name,
        relay_email=answer.relay.email,
        regions=tuple(answer.relay.regions),
    )


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
    """An engine for the enrolled server (or ``server_url``); ``NotEnrolled`` without a token."""
    url = (server_url or stored_server(database) or "").rstrip("/")
    token = TokenStore(data_dir).load(url) if url else None
    if not url or not token:
        raise NotEnrolled()
    client = SyncClient(url, token, timeouts=timeouts, cancel=cancel)
    return SyncEngine(database, client, progress=progress, batch=batch, retries=retries,
                      files_dir=files_dir(data_dir))


def files_dir(data_dir: Path) -> Path:
    """Where a data dir keeps attachment files, each named by its sha256."""
    return data_dir / "attachments"
