"""Sync over a poor link: records and photos from one relay through an emulated field connection.

Run by hand (not in CI):

    .venv/bin/python benchmarks/sync_link.py                       # 10,000 records, 200 photos
    .venv/bin/python benchmarks/sync_link.py --records 2000 --photos 40

It starts the reference server on 127.0.0.1 (a SQLite database), fills a fresh relay data dir with
records (the partners and practices of benchmarks/local_store.py, half each) and photos (random
bytes of 100-300 KB: JPEG content does not compress either; Pillow is not a dependency), then runs
one `SyncEngine.sync()` with the app's own settings (timeouts, retries, adaptive batches) through
a link that behaves like a rural 3G connection:

- 256 kbit/s each way, shared by every connection (the radio is the bottleneck, not a socket);
- 300 ms round trip (150 ms each way, added as a delay line: bytes in flight keep flowing);
- 5 % of HTTP exchanges cut: half inside the request (the server never sees its end), half inside
  the answer (the server did the work, the client never learns it), at a uniformly drawn byte.

It then checks that the server holds every record exactly once (version 1) and every photo whole,
and reports wall time per phase, bytes on the wire per record against the record's raw JSON, the
bytes carried by exchanges that were cut (sent again, or wasted), and the ratio of the wall time to
the ideal transfer time (the compressed payload at the link's bandwidth). The figures go into
docs/benchmarks.md ("Sync over a poor link").
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import queue
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from local_store import _partner, _practice
from sqlalchemy import func, select

from relay_app.config import resolve_paths
from relay_app.services import Services, open_services
from relay_app.store.models import RECORD_MODELS, Partner
from relay_app.store.models import Attachment as LocalAttachment
from relay_app.store.types import utc_now
from relay_app.sync.client import SyncClient
from relay_app.sync.connect import enroll_device, files_dir
from relay_app.sync.credentials import STORE_VARIABLE, TokenStore
from relay_app.sync.engine import SyncEngine
from relay_app.sync.progress import Phase, SyncProgress, SyncSummary
from relay_app.sync.values import wire_values
from relay_app.transfer.reading import SourceRow
from relay_central.db import Database as CentralDatabase
from relay_central.models import Attachment, Record
from relay_central.regions import region_slugs
from relay_central.settings import load_settings
from tests.central.harness import Central, RunningServer
from tests.sync.fault_proxy import CHUNK, FaultProxy, Faults

CUT = object()  # queued after the last bytes of a cut exchange: drop the connection there


@dataclass(frozen=True)
class Link:
    bandwidth: int = 32_000  # bytes per second each way: 256 kbit/s
    delay: float = 0.150  # seconds each way: 300 ms round trip
    cut_exchanges: float = 0.05
    seed: int = 2026


@dataclass
class LinkStats:
    exchanges: int = 0
    cut_in_request: int = 0
    cut_in_answer: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    bytes_in_cut_exchanges: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass
class Exchange:
    """One HTTP request and its answer on a connection, and where (if anywhere) it is cut."""

    cut_side: str | None  # "up", "down" or None
    cut_fraction: float
    cut_at: dict[str, int | None] = field(default_factory=lambda: {"up": None, "down": None})
    carried: dict[str, int] = field(default_factory=lambda: {"up": 0, "down": 0})


def _message_length(head: bytes) -> int | None:
    """Header bytes plus Content-Length, when the first chunk shows both."""
    end = head.find(b"\r\n\r\n")
    if end < 0:
        return None
    for line in head[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return end + 4 + int(value.strip())
    return end + 4


class ShapedLink(FaultProxy):
    """The fault proxy with a field link's shape: a shared bandwidth, a delay line, cut exchanges.

    The test proxy sleeps per chunk in the forwarding thread, which suits short requests; over
    megabytes of photos that adds the latency once per 4 KB. Here a chunk is stamped when it would
    leave the bottleneck (one clock per direction for all connections) and delivered by a writer
    thread once it has crossed the delay, so throughput is the bandwidth whatever the latency.
    """

    def __init__(self, upstream_port: int, link: Link) -> None:
        super().__init__(upstream_port, Faults(seed=link.seed))
        self.link = link
        self.shaped = LinkStats()
        self._line_free = {"up": 0.0, "down": 0.0}
        self._line_lock = threading.Lock()
        self._draws = random.Random(link.seed)
        self._exchanges: dict[int, Exchange] = {}

    def _departure(self, direction: str, size: int) -> float:
        with self._line_lock:
            start = max(time.monotonic(), self._line_free[direction])
            self._line_free[direction] = start + size / self.link.bandwidth
            return self._line_free[direction] + self.link.delay

    def _new_exchange(self, key: int) -> Exchange:
        with self._line_lock:
            cut = self._draws.random() < self.link.cut_exchanges
            side = self._draws.choice(["up", "down"]) if cut else None
            fraction = self._draws.random()
        exchange = Exchange(side, fraction)
        self._exchanges[key] = exchange
        with self.shaped.lock:
            self.shaped.exchanges += 1
        return exchange

    def _pump(
        self,
        source: socket.socket,
        target: socket.socket,
        direction: str,
        pair: tuple[socket.socket, socket.socket],
    ) -> None:
        key = id(pair)
        outbox: queue.Queue[tuple[float, object]] = queue.Queue()
        writer = threading.Thread(target=self._deliver, args=(outbox, target, pair), daemon=True)
        writer.start()
        try:
            while True:
                chunk = source.recv(CHUNK)
                if not chunk:
                    break
                exchange = self._exchanges.get(key)
                if direction == "up" and (exchange is None or exchange.carried["down"]):
                    exchange = self._new_exchange(key)  # a request after an answer: the next one
                if exchange is None:
                    break
                if exchange.carried[direction] == 0 and exchange.cut_side == direction:
                    length = _message_length(chunk) or len(chunk)
                    exchange.cut_at[direction] = int(exchange.cut_fraction * length)
                limit = exchange.cut_at[direction]
                if limit is not None and exchange.carried[direction] + len(chunk) > limit:
                    chunk = chunk[: max(0, limit - exchange.carried[direction])]
                    self._carry(exchange, direction, chunk)
                    outbox.put((self._departure(direction, len(chunk)), chunk))
                    outbox.put((0.0, CUT))
                    self._record_cut(exchange)
                    break
                self._carry(exchange, direction, chunk)
                outbox.put((self._departure(direction, len(chunk)), chunk))
        except OSError:
            pass
        outbox.put((0.0, CUT))
        writer.join()
        if direction == "up":
            self._exchanges.pop(key, None)

    def _carry(self, exchange: Exchange, direction: str, chunk: bytes) -> None:
        exchange.carried[direction] += len(chunk)
        with self.shaped.lock:
            if direction == "up":
                self.shaped.bytes_up += len(chunk)
            else:
                self.shaped.bytes_down += len(chunk)

    def _record_cut(self, exchange: Exchange) -> None:
        with self.shaped.lock:
            if exchange.cut_side == "up":
                self.shaped.cut_in_request += 1
            else:
                self.shaped.cut_in_answer += 1
            self.shaped.bytes_in_cut_exchanges += sum(exchange.carried.values())

    def _deliver(
        self,
        outbox: queue.Queue[tuple[float, object]],
        target: socket.socket,
        pair: tuple[socket.socket, socket.socket],
    ) -> None:
        try:
            while True:
                due, item = outbox.get()
                if item is CUT:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                assert isinstance(item, bytes)
                target.sendall(item)
        except OSError:
            pass
        finally:
            for sock in pair:  # a cut or an end: the connection is over for both ends
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


# -- the relay's data ----------------------------------------------------------------------------


def fill(services: Services, data_dir: Path, records: int, photos: int, seed: int) -> tuple[int, int]:
    """Import ``records`` (half partners, half practices) and ``photos``; raw JSON and photo bytes."""
    rng = random.Random(seed)
    partners = [_partner(rng, index) for index in range(records - records // 2)]
    practices = [_practice(rng, index) for index in range(records // 2)]
    for kind, rows in (("partners", partners), ("practices", practices)):
        source = [SourceRow(number=index + 2, values=values) for index, values in enumerate(rows)]
        for start in range(0, len(source), 5_000):
            report = services.import_rows(kind, source[start : start + 5_000])
            if report.errors:
                raise SystemExit(f"{kind}: {report.errors[:3]}")
    folder = files_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    photo_bytes = 0
    now = utc_now()
    with services.database.write() as session:
        owners = session.scalars(select(Partner.id).order_by(Partner.row_id).limit(photos)).all()
        for owner in owners:
            content = rng.randbytes(rng.randint(100_000, 300_000))
            sha256 = hashlib.sha256(content).hexdigest()
            (folder / sha256).write_bytes(content)
            photo_bytes += len(content)
            session.add(LocalAttachment(
                id=str(uuid.uuid4()), created_at=now, updated_at=now, deleted=False,
                dirty_fields=[], owner_kind="partners", owner_id=owner, role="photo",
                sha256=sha256, media_type="image/jpeg", size=len(content), filename="parcelle.jpg",
            ))
    return raw_json_bytes(services), photo_bytes


def raw_json_bytes(services: Services) -> int:
    """The records as a push would carry them, uncompressed: one JSON object of fields each."""
    total = 0
    with services.database.read() as session:
        for kind in ("partners", "practices"):
            for row in session.scalars(select(RECORD_MODELS[kind])):
                values = {k: v for k, v in wire_values(kind, row).items() if v not in (None, "", [])}
                total += len(json.dumps(values, ensure_ascii=False).encode("utf-8"))
    return total


def gzipped_records(services: Services) -> int:
    """The records' JSON compressed whole: the least a link can carry them in."""
    with services.database.read() as session:
        everything = [
            {k: v for k, v in wire_values(kind, row).items() if v not in (None, "", [])}
            for kind in ("partners", "practices")
            for row in session.scalars(select(RECORD_MODELS[kind]))
        ]
    return len(gzip.compress(json.dumps(everything, ensure_ascii=False).encode("utf-8")))


# -- the run -----------------------------------------------------------------------------------------


@dataclass
class PhaseClock:
    """When each phase of the sync started, and the body bytes counted at that moment."""

    started: float = field(default_factory=time.monotonic)
    marks: dict[Phase, tuple[float, int, int]] = field(default_factory=dict)

    def __call__(self, step: SyncProgress) -> None:
        if step.phase not in self.marks:
            self.marks[step.phase] = (time.monotonic() - self.started, step.bytes_sent,
                                      step.bytes_received)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()

    os.environ[STORE_VARIABLE] = "file"
    folder = Path(tempfile.mkdtemp(prefix="relay-sync-link-"))
    settings = load_settings(
        database_url=f"sqlite+pysqlite:///{folder / 'central.sqlite3'}", data_dir=folder / "central"
    )
    central = Central(RunningServer(settings).start(), CentralDatabase(settings.database_url))
    link = Link(seed=options.seed)
    try:
        data_dir = resolve_paths(folder / "relay").data_dir
        services = open_services(resolve_paths(data_dir))
        code = central.relay(list(region_slugs()))  # every region: any record may be written
        enroll_device(services.database, data_dir, central.url, code, "field laptop")
        prepared = time.monotonic()
        raw, photo_bytes = fill(services, data_dir, options.records, options.photos, options.seed)
        compressed = gzipped_records(services)
        print(f"prepared {options.records} records and {options.photos} photos "
              f"in {time.monotonic() - prepared:.1f} s")

        token = TokenStore(data_dir).load(central.url)
        with ShapedLink(central.server.port, link) as proxy:
            clock = PhaseClock()
            engine = SyncEngine(services.database, SyncClient(proxy.url, token), progress=clock,
                                files_dir=files_dir(data_dir))
            summary = engine.sync()
            wall = time.monotonic() - clock.started
        stats = proxy.shaped
        report(options, link, summary, clock, stats, wall, raw, compressed, photo_bytes)
        verify(central, options, summary)
        services.close()
    finally:
        central.server.stop()
        central.database.dispose()
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


def report(
    options: argparse.Namespace, link: Link, summary: SyncSummary, clock: PhaseClock,
    stats: LinkStats, wall: float, raw: int, compressed: int, photo_bytes: int,
) -> None:
    ideal = (compressed + photo_bytes) / link.bandwidth
    marks = clock.marks
    push_end = marks.get(Phase.UPLOADING, (wall, summary.bytes_sent, 0))
    pull_start = marks.get(Phase.PULLING, (wall, summary.bytes_sent, 0))
    push_bytes = push_end[1]
    print(f"link: {link.bandwidth * 8 / 1000:.0f} kbit/s each way, {link.delay * 2000:.0f} ms RTT, "
          f"{link.cut_exchanges:.0%} of exchanges cut (seed {link.seed})")
    print(f"in sync: {summary.in_sync}; pushed {summary.pushed}, pulled {summary.pulled}, "
          f"files uploaded {summary.files_uploaded}, failed {summary.files_failed}, "
          f"pending {summary.files_pending}")
    print(f"wall time: {wall:.1f} s (records pushed by {push_end[0]:.1f} s, files by "
          f"{pull_start[0]:.1f} s, own records pulled back by {wall:.1f} s)")
    print(f"ideal transfer time (gzip of all records {compressed:,} B + photos {photo_bytes:,} B "
          f"at the bandwidth): {ideal:.1f} s; ratio {wall / ideal:.2f}; "
          f"upload phases only (push + files): {pull_start[0] / ideal:.2f}")
    print(f"records: raw JSON {raw / options.records:.0f} B/record; push bodies on the wire "
          f"{push_bytes / options.records:.0f} B/record ({push_bytes / raw:.0%} of raw)")
    print(f"link bytes: up {stats.bytes_up:,}, down {stats.bytes_down:,} (headers included); "
          f"exchanges {stats.exchanges}, cut {stats.cut_in_request} in the request and "
          f"{stats.cut_in_answer} in the answer; bytes carried by cut exchanges "
          f"{stats.bytes_in_cut_exchanges:,} ({stats.bytes_in_cut_exchanges / max(1, stats.bytes_up):.1%} "
          f"of the bytes sent up)")


def verify(central: Central, options: argparse.Namespace, summary: SyncSummary) -> None:
    with central.database.reading() as session:
        records = session.scalar(select(func.count()).select_from(Record)) or 0
        versions = set(session.scalars(select(Record.version).distinct()))
        files = session.scalar(select(func.count()).select_from(Attachment)) or 0
    lost_or_doubled = records != options.records or versions != {1}
    print(f"server: {records} records (versions {sorted(versions)}), {files} files")
    if lost_or_doubled or files != options.photos or not summary.in_sync:
        raise SystemExit("the server does not hold exactly what was sent")


if __name__ == "__main__":
    main()
