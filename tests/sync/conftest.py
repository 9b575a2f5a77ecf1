"""A real central server on 127.0.0.1 and relays with their own data dirs, enrolled against it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.services import Services, open_services
from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.client import SyncClient, Timeouts
from relay_app.sync.connect import enroll_device, files_dir, open_engine
from relay_app.sync.credentials import STORE_VARIABLE
from relay_app.sync.engine import RetrySchedule, SyncEngine
from relay_app.sync.identity import enrolled_token
from relay_app.sync.progress import ProgressCallback
from relay_central.settings import Settings, load_settings
from tests.central.harness import Central, central_servers

REGIONS = ["western_europe", "sub_saharan_africa"]
FAST_RETRIES = RetrySchedule(attempts=20, first_wait=0.05, longest_wait=0.5)


@pytest.fixture(autouse=True)
def file_token_store(monkeypatch: pytest.MonkeyPatch) -> None:
    # No keyring on test machines, and tests must never write to a developer's own keyring.
    monkeypatch.setenv(STORE_VARIABLE, "file")


@pytest.fixture
def start_central(tmp_path: Path) -> Iterator[Callable[..., Central]]:
    def make_settings(**overrides: object) -> Settings:
        return load_settings(
            database_url=f"sqlite+pysqlite:///{tmp_path / 'central.sqlite3'}",
            data_dir=tmp_path / "central",
            **overrides,
        )

    with central_servers(make_settings) as start:
        yield start


@pytest.fixture
def central(start_central: Callable[..., Central]) -> Central:
    return start_central()


@dataclass
class Relay:
    """One installation of the app: its data dir, its services, and a way to sync."""

    name: str
    data_dir: Path
    services: Services
    server_url: str

    def engine(
        self,
        *,
        server_url: str | None = None,
        progress: ProgressCallback | None = None,
        batch: AdaptiveBatch | None = None,
        timeouts: Timeouts | None = None,
        pull_limit: int = 500,
    ) -> SyncEngine:
        if server_url is None:
            return open_engine(
                self.services.database, self.data_dir, self.server_url,
                progress=progress, batch=batch, timeouts=timeouts, retries=FAST_RETRIES,
            )
        # Another route to the same server (a fault proxy): the token enrolled with the server.
        token = self.token
        client = SyncClient(server_url, token, timeouts=timeouts)
        return SyncEngine(
            self.services.database, client, progress=progress, batch=batch, retries=FAST_RETRIES,
            pull_limit=pull_limit, files_dir=files_dir(self.data_dir),
        )

    @property
    def token(self) -> str | None:
        """The device token this installation holds for its server."""
        return enrolled_token(self.services.database, self.data_dir)

    def sync(self, **options: object):  # type: ignore[no-untyped-def]
        return self.engine(**options).sync()  # type: ignore[arg-type]


class RelayFactory:
    """Relays enrolled with ``central``, each with its own data dir under ``folder``."""

    def __init__(self, central: Central, folder: Path) -> None:
        self.central = central
        self.folder = folder
        self.opened: list[Services] = []

    def make(self, name: str | None = None, regions: list[str] | None = None) -> Relay:
        label = name or uuid.uuid4().hex[:6]
        data_dir = resolve_paths(self.folder / f"relay-{label}").data_dir
        services = open_services(resolve_paths(data_dir))
        self.opened.append(services)
        code = self.central.relay(regions or REGIONS)
        enroll_device(services.database, data_dir, self.central.url, code, f"laptop {label}")
        return Relay(label, data_dir, services, self.central.url)

    def close(self) -> None:
        for services in self.opened:
            services.close()


@pytest.fixture
def make_relay(central: Central, tmp_path: Path) -> Iterator[Callable[..., Relay]]:
    factory = RelayFactory(central, tmp_path)
    yield factory.make
    factory.close()
