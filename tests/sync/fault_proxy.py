"""A real TCP proxy between the app and the server that makes the link as bad as the field's.

It adds latency to every chunk, caps the bandwidth each way, and cuts connections in the middle of
a request (the server never sees the end of it) or in the middle of a response (the server has
done the work, the client never learns the answer). Cuts are drawn from a seeded generator, so a
failing run can be replayed.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from dataclasses import dataclass, field

CHUNK = 4096


@dataclass(frozen=True)
class Faults:
    latency: float = 0.0  # seconds added to each chunk, each way
    bandwidth: int | None = None  # bytes per second, each way, per connection
    cut_request: float = 0.0  # chance, per chunk going up, that the link drops inside it
    cut_response: float = 0.0  # chance, per chunk coming down, that the link drops inside it
    seed: int = 0
    most_cuts: int | None = None  # the link heals after this many cuts (None: it never does)


@dataclass
class ProxyStats:
    connections: int = 0
    requests_cut: int = 0
    responses_cut: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class FaultProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to ``upstream_port``, with ``faults``."""

    def __init__(self, upstream_port: int, faults: Faults) -> None:
        self.upstream_port = upstream_port
        self.faults = faults
        self.stats = ProxyStats()
        self._random = random.Random(faults.seed)
        self._random_lock = threading.Lock()
        self._cuts_left = faults.most_cuts
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._open: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        _close(self._listener)
        for sock in list(self._open):
            _close(sock)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- connections -------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _cut_point(self, chance: float, size: int) -> int | None:
        """Where in this chunk the link drops (0 = before its first byte), or None."""
        if not chance:
            return None
        with self._random_lock:
            if self._cuts_left == 0 or self._random.random() >= chance:
                return None
            if self._cuts_left is not None:
                self._cuts_left -= 1
            return self._random.randrange(0, size)

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        except OSError:
            _close(client)
            return
        upstream.settimeout(None)
        # A link forwards what it gets as it gets it; Nagle here would add the proxy's own waits.
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.stats.lock:
            self.stats.connections += 1
        self._open.update((client, upstream))
        pair = (client, upstream)
        threads = [
            threading.Thread(target=self._pump, args=(client, upstream, "up", pair), daemon=True),
            threading.Thread(target=self._pump, args=(upstream, client, "down", pair), daemon=True),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self._open.difference_update(pair)

    def _pump(
        self,
        source: socket.socket,
        target: socket.socket,
        direction: str,
        pair: tuple[socket.socket, socket.socket],
    ) -> None:
        chance = self.faults.cut_request if direction == "up" else self.faults.cut_response
        try:
            while True:
                chunk = source.recv(CHUNK)
                if not chunk:
                    break
                if self.faults.latency:
                    time.sleep(self.faults.latency)
                if self.faults.bandwidth:
                    time.sleep(len(chunk) / self.faults.bandwidth)
                cut = self._cut_point(chance, len(chunk))
                if cut is not None:
                    target.sendall(chunk[:cut])
                    self._count(direction, cut, cut=True)
                    break
                target.sendall(chunk)
                self._count(direction, len(chunk), cut=False)
        except OSError:
            pass
        finally:
            # Either way the connection is over for both ends: a cut looks like a dropped link.
            for sock in pair:
                _close(sock)

    def _count(self, direction: str, size: int, *, cut: bool) -> None:
        with self.stats.lock:
            if direction == "up":
                self.stats.bytes_up += size
                self.stats.requests_cut += int(cut)
            else:
                self.stats.bytes_down += size
                self.stats.responses_cut += int(cut)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
