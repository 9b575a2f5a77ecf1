"""A real central server on a loopback port, and a small HTTP client of the sync protocol."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import count
from typing import Any

import requests
import uvicorn

from relay_app import codelists
from relay_app.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION
from relay_central.admin import add_relay
from relay_central.app import create_app
from relay_central.db import Database
from relay_central.settings import Settings

STARTUP_SECONDS = 20


class RunningServer:
    """uvicorn serving ``create_app(settings)`` in a background thread until `stop()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = create_app(settings)
        # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
        # protocol says TCP, and without it every answer on a kept-alive connection waits ~40 ms
        # for the client's delayed acknowledgement. uvicorn binding by itself gets this right.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="on", timeout_keep_alive=30
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the central server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=STARTUP_SECONDS)
        self.socket.close()


@dataclass
class Central:
    """The server under test plus what a test needs to set it up as an administrator would."""

    server: RunningServer
    database: Database

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def settings(self) -> Settings:
        return self.server.settings

    def relay(self, regions: list[str], email: str | None = None) -> str:
        """A new relay's one-time enrolment code."""
        address = email or f"relay-{uuid.uuid4().hex[:8]}@example.org"
        return add_relay(self.database, name="Test relay", email=address, regions=regions)

    def device(self, regions: list[str], email: str | None = None) -> Device:
        code = self.relay(regions, email)
        device_id = str(uuid.uuid4())
        answer = requests.post(
            f"{self.url}/api/v1/enroll",
            json={"code": code, "device_id": device_id, "device_name": "Field laptop"},
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        return Device(self.url, device_id, answer.json()["token"])


@dataclass
class Device:
    """One enrolled device: sends requests of `protocol` (the current one) with its bearer token."""

    url: str
    device_id: str
    token: str
    http: requests.Session = field(default_factory=requests.Session)
    _seq: count[int] = field(default_factory=lambda: count(1))
    protocol: int = PROTOCOL_VERSION

    def speaking(self, protocol: int) -> Device:
        """The same device (token, change numbers) as an app that speaks an older protocol."""
        return replace(self, protocol=protocol)

    def headers(self, **extra: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            PROTOCOL_HEADER: str(self.protocol),
            **extra,
        }

    def next_seq(self) -> int:
        return next(self._seq)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        headers = self.headers(**kwargs.pop("headers", {}))
        return self.http.get(f"{self.url}{path}", headers=headers, timeout=30, **kwargs)

    def post(self, path: str, body: Any, *, compress: bool = True, **kwargs: Any) -> requests.Response:
        raw = json.dumps(body).encode("utf-8")
        headers = self.headers(**{"Content-Type": "application/json"}, **kwargs.pop("headers", {}))
        if compress:
            raw = gzip.compress(raw)
            headers["Content-Encoding"] = "gzip"
        return self.http.post(f"{self.url}{path}", data=raw, headers=headers, timeout=60, **kwargs)

    def change(
        self,
        kind: str,
        record_id: str,
        fields: dict[str, Any] | None = None,
        *,
        op: str = "upsert",
        base_version: int | None = None,
        seq: int | None = None,
    ) -> dict[str, Any]:
        return {
            "seq": seq if seq is not None else self.next_seq(),
            "kind": kind,
            "id": record_id,
            "op": op,
            "base_version": base_version,
            "fields": fields or {},
        }

    def push(self, *changes: dict[str, Any], batch_id: str | None = None) -> list[dict[str, Any]]:
        answer = self.post(
            "/api/v1/sync/push",
            {"batch_id": batch_id or uuid.uuid4().hex, "changes": list(changes)},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]  # type: ignore[no-any-return]

    def push_one(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self.push(self.change(*args, **kwargs))[0]

    def pull(self, cursor: str | None = None, limit: int | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        answer = self.get("/api/v1/sync/pull", params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    def records(self, *keys: tuple[str, str]) -> list[dict[str, Any]]:
        """`POST sync/records` for these (kind, id) keys: the items the server answered."""
        body = {"keys": [{"kind": kind, "id": record_id} for kind, record_id in keys]}
        answer = self.post("/api/v1/sync/records", body)
        assert answer.status_code == 200, answer.text
        return answer.json()["items"]  # type: ignore[no-any-return]

    def pull_all(self, cursor: str | None = None, limit: int = 100) -> tuple[list[dict], str]:
        items: list[dict[str, Any]] = []
        while True:
            page = self.pull(cursor, limit)
            assert not page["resync"], page
            items.extend(page["items"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return items, cursor


def new_id() -> str:
    return str(uuid.uuid4())


def forum(region: str = "western_europe", **changes: Any) -> dict[str, Any]:
    values = {
        "name": "Forum of the 4 per 1000 Initiative",
        "region": region,
        "city": "Montpellier",
        "start_date": "2026-06-01",
        "end_date": "2026-06-03",
        "capacity": 120,
    }
    return {**values, **changes}


def partner(region: str = "western_europe", country: str = "FR", **changes: Any) -> dict[str, Any]:
    values = {
        "name": "Institut de recherche",
        "kind": "member",
        "college": "research_education",
        "country": country,
        "region": region,
        "city": "Paris",
    }
    return {**values, **changes}


def registration(forum_id: str, **changes: Any) -> dict[str, Any]:
    values = {
        "forum_id": forum_id,
        "first_name": "Awa",
        "last_name": "Diop",
        "role": "farmer",
        "consent": True,
        "email": "awa@example.org",
    }
    return {**values, **changes}


def practice(country: str = "FR", **changes: Any) -> dict[str, Any]:
    values = {
        "title": "Cover crops between the vines",
        "land_use": codelists.get("land_uses").codes()[0],
        "category": codelists.get("practice_categories").codes()[0],
        "country": country,
    }
    return {**values, **changes}


def attachment(owner_id: str, owner_kind: str = "partners", **changes: Any) -> dict[str, Any]:
    """A file's link (protocol 2) to the partner or practice `owner_id`."""
    values = {
        "owner_kind": owner_kind,
        "owner_id": owner_id,
        "role": "logo",
        "sha256": hashlib.sha256(owner_id.encode("utf-8")).hexdigest(),
        "media_type": "image/png",
        "size": 2048,
        "filename": "logo.png",
    }
    return {**values, **changes}


@contextmanager
def central_servers(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., Central]]:
    """A starter of real servers (restarts share the database and folder); all stopped on exit."""
    running: list[Central] = []

    def start(**overrides: object) -> Central:
        settings = make_settings(**overrides)
        central = Central(RunningServer(settings).start(), Database(settings.database_url))
        running.append(central)
        return central

    try:
        yield start
    finally:
        for central in running:
            central.server.stop()
            central.database.dispose()
