"""Central server load benchmark: 200 relays syncing at once against PostgreSQL.

Run by hand (not in CI); it needs PostgreSQL's initdb and pg_ctl (`./dev test` installs them):

    .venv/bin/python benchmarks/central_load.py [--relays 200] [--batches 3] [--batch-size 20]

It starts a throwaway PostgreSQL cluster (tests/central/postgres.py) and `relay-central serve` as
its own process on 127.0.0.1, enrols one device per relay (relays spread over the 17 regions),
then runs one thread per relay, all at once: each pushes its batches (a forum of its region, its
registrations, partners and practices), pulls the feed to the end, and after every relay has
pushed, pulls again until its cursor is the server's latest. It reports wall time, requests/s,
latency per endpoint, errors (must be zero), and checks that the server holds exactly the records
sent and that every relay ended with exactly what it may read. The figures go into
docs/benchmarks.md ("Central server").
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from sqlalchemy import func, select

from relay_app import codelists
from relay_app.sync.client import Timeouts
from relay_app.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION
from relay_central.admin import add_relay
from relay_central.db import Database
from relay_central.migrate import upgrade
from relay_central.models import Record
from relay_central.regions import unknown_regions
from tests.central.postgres import start_cluster

REQUEST_TIMEOUT_S = 120
STARTUP_S = 60


@dataclass(frozen=True)
class LoadPlan:
    relays: int
    batches: int
    batch_size: int
    pull_limit: int
    time_limit_s: float

    @property
    def registrations_per_batch(self) -> int:
        return max(1, self.batch_size * 35 // 100)

    @property
    def records(self) -> int:
        return self.relays * self.batches * self.batch_size


@dataclass(frozen=True)
class RelayDevice:
    email: str
    region: str
    country: str
    token: str


@dataclass
class Measurements:
    """Latencies per endpoint and every failure, shared by all client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, seconds: float) -> None:
        with self.lock:
            self.latencies[endpoint].append(seconds)

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


# --- the server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(database_url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`relay-central serve` in its own process, as in production; its JSON log goes to a file."""
    port = _free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "relay_central.cli", "serve", "--db", database_url,
         "--data-dir", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start; see {folder / 'server.log'}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the server did not answer /healthz in time")


@dataclass
class ServerLog:
    """What the server's own request log says: its time per endpoint and its 5xx answers."""

    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: int = 0

    @classmethod
    def read(cls, path: Path) -> ServerLog:
        log = cls()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict) or entry.get("message") != "request":
                continue
            if int(entry.get("status") or 0) >= 500:
                log.failures += 1
            endpoint = _endpoint(str(entry.get("method")), str(entry.get("path")))
            log.durations[endpoint].append(float(entry.get("duration_ms") or 0) / 1000)
        return log


def _endpoint(method: str, path: str) -> str:
    return f"{method} {path.removeprefix('/api/v1')}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- relays --------------------------------------------------------------------------------------


def country_per_region() -> dict[str, str]:
    countries: dict[str, str] = {}
    for code in codelists.get("countries").codes():
        region = codelists.region_of_country(code)
        if region is not None:
            countries.setdefault(region, code)
    return countries


def enrol_relays(
    database: Database, url: str, count: int, measurements: Measurements
) -> list[RelayDevice]:
    countries = country_per_region()
    regions = sorted(region for region in countries if not unknown_regions([region]))
    devices = []
    for index in range(count):
        region = regions[index % len(regions)]
        email = f"relay-{index:03d}@example.org"
        code = add_relay(database, name=f"Relay {index}", email=email, regions=[region])
        started = time.perf_counter()
        answer = requests.post(
            f"{url}/api/v1/enroll",
            json={"code": code, "device_id": str(uuid.uuid4()), "device_name": f"Laptop {index}"},
            timeout=REQUEST_TIMEOUT_S,
        )
        measurements.record("POST /enroll", time.perf_counter() - started)
        if answer.status_code != 201:
            raise RuntimeError(f"enrolment failed: {answer.status_code} {answer.text}")
        devices.append(RelayDevice(email, region, countries[region], answer.json()["token"]))
    return devices


def batch_changes(
    relay: RelayDevice, plan: LoadPlan, number: int, seq: int
) -> list[dict[str, Any]]:
    """One batch: a forum of the relay's region first, its registrations, partners, practices."""
    land_use = codelists.get("land_uses").codes()[0]
    category = codelists.get("practice_categories").codes()[0]
    forum_id = str(uuid.uuid4())
    records: list[tuple[str, dict[str, Any]]] = [(
        "forums",
        {"name": f"Soil forum {number} of {relay.email}", "region": relay.region,
         "city": "Montpellier", "start_date": "2027-03-01", "end_date": "2027-03-03",
         "capacity": 300},
    )]
    for index in range(plan.registrations_per_batch):
        records.append(("registrations", {
            "forum_id": forum_id, "first_name": "Awa", "last_name": f"Diop {index}",
            "role": "farmer", "consent": True, "email": f"awa.{index}@example.org",
        }))
    while len(records) < plan.batch_size:
        if len(records) % 2:
            records.append(("partners", {
                "name": f"Cooperative {len(records)} of {relay.email}", "kind": "partner",
                "college": "farmers_foresters_organisations", "country": relay.country,
                "city": "Town", "description": "Cover crops and compost on smallholder plots.",
            }))
        else:
            records.append(("practices", {
                "title": f"Agroforestry plot {len(records)}", "land_use": land_use,
                "category": category, "country": relay.country,
                "summary": "Trees in rows between crops raise the soil's organic carbon.",
            }))
    ids = [forum_id] + [str(uuid.uuid4()) for _ in records[1:]]
    return [
        {"seq": seq + offset, "kind": kind, "id": record_id, "op": "upsert",
         "base_version": None, "fields": values}
        for offset, ((kind, values), record_id) in enumerate(zip(records, ids, strict=True))
    ]


# --- one relay's sync ----------------------------------------------------------------------------


class RelayClient:
    """What the app does at a sync: meta, push the outbox in batches, pull to the end."""

    def __init__(
        self, relay: RelayDevice, url: str, plan: LoadPlan, measurements: Measurements
    ) -> None:
        self.relay = relay
        self.url = url
        self.plan = plan
        self.measurements = measurements
        self.http = requests.Session()
        self.http.headers.update({
            "Authorization": f"Bearer {relay.token}",
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
        })
        self.cursor: str | None = None
        self.seen: dict[str, int] = {}
        self.duplicates = 0

    def _timed(self, endpoint: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        answer = self.http.request(method, f"{self.url}{path}", timeout=REQUEST_TIMEOUT_S, **kwargs)
        self.measurements.record(endpoint, time.perf_counter() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"{endpoint}: HTTP {answer.status_code} {answer.text[:200]}")
        return answer

    def push_all(self) -> None:
        self._timed("GET /sync/meta", "GET", "/api/v1/sync/meta")
        seq = 1
        for number in range(self.plan.batches):
            changes = batch_changes(self.relay, self.plan, number, seq)
            seq += len(changes)
            batch = {"batch_id": uuid.uuid4().hex, "changes": changes}
            body = gzip.compress(json.dumps(batch).encode())
            answer = self._timed(
                "POST /sync/push", "POST", "/api/v1/sync/push", data=body,
                headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
            )
            statuses = {result["status"] for result in answer.json()["results"]}
            if statuses != {"applied"}:
                raise RuntimeError(f"push answered {statuses}: {answer.text[:300]}")

    def pull_to_end(self) -> None:
        while True:
            params: dict[str, Any] = {"limit": self.plan.pull_limit}
            if self.cursor is not None:
                params["cursor"] = self.cursor
            page = self._timed("GET /sync/pull", "GET", "/api/v1/sync/pull", params=params).json()
            if page["resync"]:
                raise RuntimeError("unexpected resync")
            for item in page["items"]:
                if item["id"] in self.seen:
                    self.duplicates += 1
                self.seen[item["id"]] = item["version"]
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return

    def in_sync(self) -> bool:
        meta = self._timed("GET /sync/meta", "GET", "/api/v1/sync/meta").json()
        return bool(meta["latest_cursor"] == self.cursor)


def run_relay(client: RelayClient, pushed: threading.Barrier, deadline: float) -> None:
    try:
        client.push_all()
        client.pull_to_end()
        pushed.wait(timeout=max(1.0, deadline - time.monotonic()))
        while not client.in_sync():
            if time.monotonic() > deadline:
                raise RuntimeError("not in sync before the time limit")
            client.pull_to_end()
    except Exception as error:  # counted and reported: the run must end with zero of them
        client.measurements.fail(f"{client.relay.email}: {error!r}")
        # No relay waits for one that failed.
        pushed.abort()


# --- report --------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, round(share * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def report_latencies(latencies: dict[str, list[float]]) -> list[str]:
    lines = [
        "| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    for endpoint, values in sorted(latencies.items()):
        if endpoint.startswith("GET /healthz"):
            continue
        ordered = sorted(values)
        lines.append(
            f"| `{endpoint}` | {len(ordered):,} | {percentile(ordered, 0.50) * 1000:.1f} | "
            f"{percentile(ordered, 0.95) * 1000:.1f} | {percentile(ordered, 0.99) * 1000:.1f} | "
            f"{ordered[-1] * 1000:.1f} |"
        )
    return lines


def expected_readable(devices: list[RelayDevice], plan: LoadPlan) -> dict[str, int]:
    """Records a relay of each region may read: all but other regions' registrations."""
    per_relay_registrations = plan.batches * plan.registrations_per_batch
    shared = plan.records - len(devices) * per_relay_registrations
    relays_in = defaultdict(int)
    for device in devices:
        relays_in[device.region] += 1
    return {region: shared + count * per_relay_registrations for region, count in relays_in.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relays", type=int, default=200)
    parser.add_argument("--batches", type=int, default=3, help="push batches per relay")
    parser.add_argument("--batch-size", type=int, default=20, help="records per batch")
    parser.add_argument("--pull-limit", type=int, default=500, help="items per pull page")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds for the whole sync")
    args = parser.parse_args()
    plan = LoadPlan(args.relays, args.batches, args.batch_size, args.pull_limit, args.time_limit)

    cluster = start_cluster()
    folder = Path(tempfile.mkdtemp(prefix="relay-central-load-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        database_url = cluster.create_database()
        database = Database(database_url)
        upgrade(database)
        process, url = start_server(database_url, folder)
        measurements = Measurements()
        started = time.perf_counter()
        devices = enrol_relays(database, url, plan.relays, measurements)
        enrol_seconds = time.perf_counter() - started

        clients = [RelayClient(device, url, plan, measurements) for device in devices]
        pushed = threading.Barrier(len(clients))
        deadline = time.monotonic() + plan.time_limit_s
        threads = [
            threading.Thread(target=run_relay, args=(client, pushed, deadline), daemon=True)
            for client in clients
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
        wall = time.perf_counter() - started
        if any(thread.is_alive() for thread in threads):
            measurements.fail("some relays were still syncing at the time limit")

        with database.reading() as session:
            stored = session.scalar(select(func.count()).select_from(Record))
        readable = expected_readable(devices, plan)
        for client in clients:
            if len(client.seen) != readable[client.relay.region] or client.duplicates:
                measurements.fail(
                    f"{client.relay.email} holds {len(client.seen)} records "
                    f"({client.duplicates} duplicates), expected {readable[client.relay.region]}"
                )
        if stored != plan.records:
            measurements.fail(f"the server holds {stored} records, expected {plan.records}")
        server_cpu = cpu_seconds(process.pid)
        server_log = ServerLog.read(folder / "server.log")
        database.dispose()
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)

    sync_requests = sum(
        len(values)
        for endpoint, values in measurements.latencies.items()
        if endpoint != "POST /enroll"
    )
    pulled = sum(len(client.seen) + client.duplicates for client in clients)
    print(f"PostgreSQL, `relay-central serve` on 127.0.0.1, {os.cpu_count()} CPUs")
    print(f"relays: {plan.relays} over {len(readable)} regions; each {plan.batches} batches of "
          f"{plan.batch_size} records ({plan.registrations_per_batch} registrations)")
    print(f"enrolment of {plan.relays} devices (one after another): {enrol_seconds:.1f} s")
    print(f"sync wall time (all relays at once): {wall:.1f} s")
    print(f"sync requests: {sync_requests:,} ({sync_requests / wall:.0f} requests/s)")
    print(f"records pushed: {plan.records:,} ({plan.records / wall:.0f} records/s); "
          f"records stored on the server: {stored:,}")
    print(f"items pulled by all relays: {pulled:,} ({pulled / wall:,.0f} items/s)")
    print(f"errors: {len(measurements.errors)} (client), "
          f"{server_log.failures} (5xx in the server log)")
    client_cpu = sum(os.times()[:2])
    print(f"CPU time: server process {server_cpu:.0f} s, this process {client_cpu:.0f} s")
    patience = Timeouts().read
    late = sum(
        1 for values in measurements.latencies.values() for seconds in values if seconds > patience
    )
    print(f"requests slower than the app's read timeout ({patience:.0f} s): {late}")
    print("\nLatency seen by the relays (request sent -> answer read):")
    for line in report_latencies(measurements.latencies):
        print(line)
    print("\nTime inside the server (its request log):")
    for line in report_latencies(server_log.durations):
        print(line)
    for error in measurements.errors[:20]:
        print(f"ERROR {error}", file=sys.stderr)
    return 0 if not measurements.errors and server_log.failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
