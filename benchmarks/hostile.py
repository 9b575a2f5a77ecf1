"""Hostile requests against a real central server: what each one costs it.

Run by hand (not in the suite), from the repository root:

    PYTHONPATH=$PWD .venv/bin/python benchmarks/hostile.py [--only NAME ...] [--repeat N] [--list]

Each attack gets its own `relay-central serve` process on a free 127.0.0.1 port, with its own
temporary data folder (SQLite), an enrolled device and a warm-up (a push, a pull, a file
question), so that the figures are the attack's alone. While the attack's requests run, one
thread samples the server's resident memory from /proc/PID/status (VmRSS every 2 ms, and VmHWM
after resetting it through /proc/PID/clear_refs) and another polls `/healthz` every 10 ms.

For each attack it prints: the HTTP statuses answered, the slowest request's time, the CPU
time the server spent meanwhile (the `/healthz` polls included; unlike wall times, not inflated
by other work on the machine), the peak growth of the server's resident memory over its warm
level, the slowest `/healthz` answer during the attack, the growth of the data folder on disk,
and whether the targets hold (no request over 100 MB or 2 s, `/healthz` within 100 ms). A
server that dies is reported as such. Everything stays on the loopback interface and every loop
is bounded. The figures go into docs/benchmarks.md ("Hostile requests").
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from relay_app.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION  # noqa: E402
from relay_central.admin import add_relay  # noqa: E402
from relay_central.db import Database  # noqa: E402
from tests.central.batches import realistic_batch  # noqa: E402

STARTUP_S = 60
REQUEST_TIMEOUT_S = 120
HEALTH_PERIOD_S = 0.01
RSS_PERIOD_S = 0.002
TARGET_MB = 100
TARGET_REQUEST_S = 2.0
TARGET_HEALTH_MS = 100
MIB = 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0"}


# --- the server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status_kib(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    folder: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def rss_kib(self) -> int | None:
        return _status_kib(self.pid, "VmRSS")

    def peak_kib(self) -> int | None:
        return _status_kib(self.pid, "VmHWM")

    def reset_peak(self) -> bool:
        """Make VmHWM start again from the current RSS (Linux: `5` into clear_refs)."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process has used so far."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def disk_bytes(self) -> int:
        """Bytes allocated on disk under the data folder (sparse files count what they use)."""
        return sum(
            path.stat().st_blocks * 512 for path in self.folder.rglob("*") if path.is_file()
        )


@contextmanager
def running_server() -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="relay-hostile-"))
    port = _free_port()
    log = (folder / "server.log").open("wb")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "relay_central.cli", "serve", "--data-dir", str(folder / "data"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=log, env=env, cwd=folder,
    )
    server = Server(process, f"http://127.0.0.1:{port}", folder / "data")
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if not server.alive:
                raise RuntimeError(f"the server stopped at start; see {folder / 'server.log'}")
            try:
                if requests.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz in time")
            time.sleep(0.1)
        yield server
    finally:
        if server.alive:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


# --- a device and its requests ------------------------------------------------------------------


@dataclass
class Client:
    url: str
    token: str
    http: requests.Session = field(default_factory=requests.Session)
    durations: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    def headers(self, *, token: bool = True, protocol: bool = True, **extra: str) -> dict[str, str]:
        sent: dict[str, str] = {}
        if protocol:
            sent[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        if token:
            sent["Authorization"] = f"Bearer {self.token}"
        return {**sent, **extra}

    def send(self, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        """One timed request; its status (or how it failed) is counted."""
        started = time.perf_counter()
        try:
            answer = self.http.request(
                method, f"{self.url}{path}", timeout=REQUEST_TIMEOUT_S, **kwargs
            )
        except requests.RequestException as error:
            self.durations.append(time.perf_counter() - started)
            self.statuses[type(error).__name__] += 1
            self.http = requests.Session()  # the connection may be gone
            return None
        self.durations.append(time.perf_counter() - started)
        code = ""
        if answer.headers.get("content-type", "").startswith("application/json"):
            try:
                payload = answer.json()
                code = f" {payload.get('error', '')}".rstrip() if isinstance(payload, dict) else ""
            except ValueError:
                code = " (unreadable JSON)"
        self.statuses[f"{answer.status_code}{code}"] += 1
        return answer


def enrol(server: Server) -> Client:
    database = Database(f"sqlite+pysqlite:///{server.folder / 'central.sqlite3'}")
    try:
        code = add_relay(database, name="Hostile", email=f"{uuid.uuid4().hex[:8]}@example.org",
                         regions=["western_europe"])
    finally:
        database.dispose()
    answer = requests.post(
        f"{server.url}/api/v1/enroll",
        json={"code": code, "device_id": str(uuid.uuid4()), "device_name": "bench"},
        timeout=30,
    )
    answer.raise_for_status()
    return Client(server.url, answer.json()["token"])


def warm_up(client: Client) -> None:
    json_headers = client.headers(**{"Content-Type": "application/json"})
    body = realistic_batch("partners", 20, batch_id=uuid.uuid4().hex, seed=1)
    client.send("POST", "/api/v1/sync/push", data=body, headers=json_headers)
    client.send("GET", "/api/v1/sync/pull", headers=client.headers())
    client.send("POST", "/api/v1/attachments/missing", data=b'{"hashes":["' + b"0" * 64 + b'"]}',
                headers=json_headers)


# --- watching the server during an attack ------------------------------------------------------


@dataclass
class Watch:
    baseline_kib: int
    peak_kib: int = 0
    health_ms: float = 0.0
    health_failures: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


@contextmanager
def watching(server: Server) -> Iterator[Watch]:
    baseline = server.rss_kib() or 0
    server.reset_peak()
    watch = Watch(baseline_kib=baseline, peak_kib=baseline)

    def sample_memory() -> None:
        while not watch.stop.is_set():
            rss = server.rss_kib()
            if rss is not None:
                watch.peak_kib = max(watch.peak_kib, rss)
            time.sleep(RSS_PERIOD_S)

    def poll_health() -> None:
        http = requests.Session()
        while not watch.stop.is_set():
            started = time.perf_counter()
            try:
                http.get(f"{server.url}/healthz", timeout=REQUEST_TIMEOUT_S).raise_for_status()
            except requests.RequestException:
                watch.health_failures += 1
                http = requests.Session()
            watch.health_ms = max(watch.health_ms, (time.perf_counter() - started) * 1000)
            time.sleep(HEALTH_PERIOD_S)

    threads = [threading.Thread(target=sample_memory), threading.Thread(target=poll_health)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # the poller's first answers set the quiet level
    try:
        yield watch
    finally:
        time.sleep(0.05)
        watch.stop.set()
        for thread in threads:
            thread.join()
        peak = server.peak_kib() if server.alive else None
        if peak is not None:
            watch.peak_kib = max(watch.peak_kib, peak)


# --- the attacks ----------------------------------------------------------------------------------
#
# Each attack builds its requests (bodies generated and gzip'd) before the watch starts, so that
# the benchmark's own work does not slow its `/healthz` poller; only sending them is watched.


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes = b""
    gzip: bool = False
    token: bool = True
    protocol: bool = True
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Context:
    server: Server
    client: Client
    notes: list[str] = field(default_factory=list)

    def send(self, request: Request) -> requests.Response | None:
        extra = dict(request.headers)
        if request.body:
            extra.setdefault("Content-Type", "application/json")
        if request.gzip:
            extra["Content-Encoding"] = "gzip"
        headers = self.client.headers(token=request.token, protocol=request.protocol, **extra)
        return self.client.send(request.method, request.path, data=request.body, headers=headers)


def _json(path: str, raw: bytes, **flags: Any) -> Request:
    """A JSON POST, gzip-compressed as the app sends it."""
    return Request("POST", path, gzip.compress(raw, compresslevel=9), gzip=True, **flags)


def _pull() -> Request:
    return Request("GET", "/api/v1/sync/pull")


def _empty_objects(count: int) -> bytes:
    return b"[" + b",".join([b"{}"] * count) + b"]"


def _push_of(changes: bytes) -> Request:
    return _json("/api/v1/sync/push", b'{"batch_id":"b","changes":' + changes + b"}")


def push_300k_empty(ctx: Context) -> list[Request]:
    """Finding 1: an authenticated push of ~1 KiB gzip, 300,000 empty changes."""
    return [_push_of(_empty_objects(300_000))]


def push_22m_empty(ctx: Context) -> list[Request]:
    """Finding 1, the kernel-kill case: 22 million empty changes (~64 KiB gzip)."""
    return [_push_of(_empty_objects(22_000_000))]


def push_5000_empty(ctx: Context) -> list[Request]:
    """Finding 1: 5,000 empty changes, few enough values to be parsed: the schema's bound."""
    return [_push_of(_empty_objects(5000))]


def missing_300k(ctx: Context) -> list[Request]:
    """Finding 1: `POST attachments/missing` with 300,000 non-hashes."""
    return [_json("/api/v1/attachments/missing", b'{"hashes":' + _empty_objects(300_000) + b"}")]


def _bomb() -> bytes:
    """60 MiB of `[{},{},...]`, about 64 KiB once gzip'd."""
    return _empty_objects(20 * MIB)[: 60 * MIB - 1] + b"]"


def anonymous_bomb(ctx: Context) -> list[Request]:
    """Finding 2: no token, no protocol header, 64 KiB gzip inflating to 60 MiB."""
    return [_json("/api/v1/sync/push", _bomb(), token=False, protocol=False)]


def anonymous_bomb_with_protocol(ctx: Context) -> list[Request]:
    """Finding 2: the same with a protocol header (still no token)."""
    return [_json("/api/v1/sync/push", _bomb(), token=False)]


def enrolment_bomb(ctx: Context) -> list[Request]:
    """Finding 2: the same sent to enrolment, the one endpoint without a token."""
    return [_json("/api/v1/enroll", _bomb(), token=False)]


def _one_field_of(values: bytes) -> Request:
    return _push_of(b'[{"seq":1,"kind":"forums","id":"f","op":"upsert","fields":{"name":['
                    + values + b"]}}]")


def values_in_one_field(ctx: Context) -> list[Request]:
    """A valid list of one change whose field holds 1,000,000 empty lists (3 MB)."""
    return [_one_field_of(b",".join([b"[]"] * 1_000_000))]


def worst_accepted_objects(ctx: Context) -> list[Request]:
    """The costliest body in memory the limits let through: one field of 49,990 empty objects
    (each counts twice, comma and brace, against the server's 100,000 values)."""
    return [_one_field_of(b",".join([b"{}"] * 49_990))]


def worst_accepted_numbers(ctx: Context) -> list[Request]:
    """The costliest body in time the limits let through: one field of 99,990 numbers."""
    return [_one_field_of(b",".join([b"0.5"] * 99_990))]


def unknown_field_names(ctx: Context) -> list[Request]:
    """Finding 5: ~30 KiB of gzip naming 6,000 unknown fields of 500 characters; the disk
    growth is what its answers store."""
    changes = [
        {"seq": seq, "kind": "forums", "id": str(uuid.uuid4()), "op": "upsert",
         "fields": {f"{'x' * 490}{seq}_{index}": 0 for index in range(30)}}
        for seq in range(1, 201)
    ]
    request = _json("/api/v1/sync/push", json.dumps({"batch_id": "b", "changes": changes})
                    .encode())
    ctx.notes.append(f"request {len(request.body) // 1024} KiB gzip")
    return [request]


def lone_surrogate(ctx: Context) -> list[Request]:
    """A partner whose name is a lone surrogate, as raw JSON (`"\\ud800x"`), then a pull."""
    change = (b'[{"seq":1,"kind":"partners","id":"' + str(uuid.uuid4()).encode()
              + b'","op":"upsert","fields":{"name":"\\ud800x","kind":"member",'
              b'"college":"research_education","country":"FR"}}]')
    return [_push_of(change), _pull()]


def media_type_crlf(ctx: Context) -> list[Request]:
    """An attachments change whose media_type carries CR/LF (header injection), then a pull."""
    owner = str(uuid.uuid4())
    changes = [
        {"seq": 1, "kind": "partners", "id": owner, "op": "upsert",
         "fields": {"name": "Owner", "kind": "member", "college": "research_education",
                    "country": "FR"}},
        {"seq": 2, "kind": "attachments", "id": str(uuid.uuid4()), "op": "upsert",
         "fields": {"owner_kind": "partners", "owner_id": owner, "role": "logo",
                    "sha256": "ab" * 32, "media_type": "image/png\r\nSet-Cookie: stolen=1",
                    "size": 10, "filename": "logo.png"}},
    ]
    return [_push_of(json.dumps(changes).encode()), _pull()]


def _metadata(**values: str) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}"
                    for key, value in values.items())


def _creation(length: str, sha256: str) -> Request:
    return Request("POST", "/api/v1/attachments/uploads", headers=(
        *TUS.items(), ("Upload-Length", length),
        ("Upload-Metadata", _metadata(sha256=sha256, media_type="image/jpeg"))))


def tus_offset_superscript(ctx: Context) -> list[Request]:
    """A tus PATCH with `Upload-Offset: ²` (a digit to str.isdigit, not to int)."""
    created = ctx.send(_creation("4", hashlib.sha256(b"abcd").hexdigest()))
    location = created.headers.get("Location", "") if created is not None else ""
    return [Request("PATCH", location or "/api/v1/attachments/uploads/x", b"abcd", headers=(
        *TUS.items(), ("Upload-Offset", "²"), ("Content-Type", "application/offset+octet-stream")))]


def tus_length_5000_digits(ctx: Context) -> list[Request]:
    """A tus creation declaring an Upload-Length of 5,000 digits."""
    return [_creation("9" * 5000, "cd" * 32)]


def uploads_100_of_200mb(ctx: Context) -> list[Request]:
    """100 upload creations declaring 200 MB each."""
    return [_creation(str(200 * 1000 * 1000), hashlib.sha256(str(index).encode()).hexdigest())
            for index in range(100)]


def enrolment_brute_force(ctx: Context) -> list[Request]:
    """50 wrong enrolment codes in a row from one address."""
    return [
        _json("/api/v1/enroll", json.dumps({
            "code": f"AAAA-BBBB-CCCC-{index:04d}", "device_id": str(uuid.uuid4()),
            "device_name": "guess"}).encode(), token=False)
        for index in range(50)
    ]


def legit_full_batch(ctx: Context) -> list[Request]:
    """Control: a realistic full batch (1,000 long practices, tests/central/batches.py)."""
    raw = realistic_batch("practices", 1000, batch_id=uuid.uuid4().hex)
    request = _json("/api/v1/sync/push", raw)
    ctx.notes.append(f"{len(raw) / MIB:.1f} MiB inflated, {len(request.body) / MIB:.2f} MiB gzip")
    return [request]


ATTACKS: dict[str, Callable[[Context], list[Request]]] = {
    "push-300k-empty": push_300k_empty,
    "push-22m-empty": push_22m_empty,
    "push-5000-empty": push_5000_empty,
    "missing-300k": missing_300k,
    "anonymous-bomb": anonymous_bomb,
    "anonymous-bomb-protocol": anonymous_bomb_with_protocol,
    "enrolment-bomb": enrolment_bomb,
    "values-in-one-field": values_in_one_field,
    "worst-accepted-objects": worst_accepted_objects,
    "worst-accepted-numbers": worst_accepted_numbers,
    "unknown-field-names": unknown_field_names,
    "lone-surrogate": lone_surrogate,
    "media-type-crlf": media_type_crlf,
    "tus-offset-superscript": tus_offset_superscript,
    "tus-length-5000-digits": tus_length_5000_digits,
    "uploads-100x200MB": uploads_100_of_200mb,
    "enrolment-brute-force": enrolment_brute_force,
    "legit-full-batch": legit_full_batch,
}


# --- running and reporting ----------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    statuses: Counter[str]
    slowest_s: float
    server_cpu_s: float
    rss_growth_mb: float
    health_ms: float
    health_failures: int
    disk_growth_mb: float
    alive: bool
    notes: list[str]

    @property
    def within_targets(self) -> bool:
        return (self.alive and self.slowest_s <= TARGET_REQUEST_S
                and self.rss_growth_mb <= TARGET_MB and self.health_ms <= TARGET_HEALTH_MS
                and not self.health_failures
                and not any(status.startswith("5") for status in self.statuses))


def run(name: str) -> Outcome:
    with running_server() as server:
        client = enrol(server)
        warm_up(client)
        context = Context(server, client)
        planned = ATTACKS[name](context)
        client.durations.clear()
        client.statuses.clear()
        disk_before = server.disk_bytes()
        cpu_before = server.cpu_seconds()
        with watching(server) as watch:
            for request in planned:
                context.send(request)
        alive = server.alive
        cpu = server.cpu_seconds() - cpu_before if alive else 0.0
        return Outcome(
            name=name,
            statuses=client.statuses,
            slowest_s=max(client.durations, default=0.0),
            server_cpu_s=cpu,
            rss_growth_mb=max(0, watch.peak_kib - watch.baseline_kib) / 1024,
            health_ms=watch.health_ms,
            health_failures=watch.health_failures,
            disk_growth_mb=(server.disk_bytes() - disk_before) / MIB,
            alive=alive,
            notes=context.notes,
        )


def median_of(runs: list[Outcome]) -> Outcome:
    """One outcome per attack: the median of each figure over the runs, every status seen."""
    def middle(values: list[float]) -> float:
        return statistics.median(values)

    statuses: Counter[str] = Counter()
    for outcome in runs:
        statuses.update(outcome.statuses)
    return Outcome(
        name=runs[0].name,
        statuses=Counter({status: count // len(runs) or 1 for status, count in statuses.items()}),
        slowest_s=middle([run.slowest_s for run in runs]),
        server_cpu_s=middle([run.server_cpu_s for run in runs]),
        rss_growth_mb=middle([run.rss_growth_mb for run in runs]),
        health_ms=middle([run.health_ms for run in runs]),
        health_failures=max(run.health_failures for run in runs),
        disk_growth_mb=middle([run.disk_growth_mb for run in runs]),
        alive=all(run.alive for run in runs),
        notes=runs[0].notes,
    )


def report(outcomes: list[Outcome]) -> None:
    print(f"{'attack':<26} {'answers':<32} {'slowest':>8} {'CPU':>6} {'RSS+':>8} {'healthz':>8} "
          f"{'disk+':>7}  verdict")
    for outcome in outcomes:
        answers = ", ".join(f"{count}× {status}" if count > 1 else status
                            for status, count in outcome.statuses.most_common())
        verdict = "ok" if outcome.within_targets else "OVER TARGET"
        if not outcome.alive:
            verdict = "SERVER DIED"
        if outcome.health_failures:
            verdict += f" ({outcome.health_failures} healthz failed)"
        print(f"{outcome.name:<26} {answers:<32} {outcome.slowest_s:>7.2f}s "
              f"{outcome.server_cpu_s:>5.2f}s {outcome.rss_growth_mb:>6.1f}MB "
              f"{outcome.health_ms:>6.0f}ms {outcome.disk_growth_mb:>5.1f}MB  {verdict}")
        for note in outcome.notes:
            print(f"{'':<26} {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(ATTACKS), help="attacks to run")
    parser.add_argument("--repeat", type=int, default=1, choices=range(1, 11), metavar="N",
                        help="run each attack N times (1-10) and report the medians")
    parser.add_argument("--list", action="store_true", help="list the attacks and stop")
    args = parser.parse_args()
    if args.list:
        for name, attack in ATTACKS.items():
            print(f"{name:<26} {(attack.__doc__ or '').splitlines()[0]}")
        return 0
    outcomes = []
    for name in args.only or list(ATTACKS):
        outcomes.append(median_of([run(name) for _ in range(args.repeat)]))
        print(f"… {name}: done", file=sys.stderr, flush=True)
    report(outcomes)
    return 0 if all(outcome.within_targets for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
