"""A real HTTP server on 127.0.0.1 whose answers a test writes: a captive portal, a broken server,
or a proxy in front of the real central server that rewrites what it answers.

Every request it receives is recorded, so a test can tell how often the client tried.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes  # as sent (still gzip-compressed when the client compressed it)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Answer = Callable[[Request], Reply]


class LocalHttpServer:
    """Serves ``answer`` on a free loopback port until ``stop()``; ``received`` lists the requests."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.received: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # kept-alive connections, like a real server

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
                )
                with server._lock:
                    server.received.append(request)
                reply = server.answer(request)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PATCH = do_HEAD = do_PUT = _serve  # noqa: N815 (http.server's names)

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet test output

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def paths(self) -> list[str]:
        with self._lock:
            return [request.path.split("?")[0] for request in self.received]

    def start(self) -> LocalHttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalHttpServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# Framing and connection headers are this server's own; the body goes back decompressed.
_NOT_FORWARDED = frozenset(
    ("connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date",
     "server")
)


def forwarding(upstream: str, rewrite: Callable[[Request, Reply], Reply] | None = None) -> Answer:
    """Pass every request on to ``upstream`` (the real server), and its answer through ``rewrite``."""

    def answer(request: Request) -> Reply:
        sent = {name: value for name, value in request.headers.items()
                if name.lower() not in ("host", "content-length", "connection")}
        response = requests.request(
            request.method, f"{upstream}{request.path}", data=request.body, headers=sent, timeout=30
        )
        kept = {name: value for name, value in response.headers.items()
                if name.lower() not in _NOT_FORWARDED}
        # requests has decompressed the body; it goes back plain, framed by its length.
        reply = Reply(response.status_code, response.content, kept)
        return rewrite(request, reply) if rewrite is not None else reply

    return answer


def request_json(request: Request) -> bytes:
    """The request body as JSON text (the client gzips what it sends)."""
    if request.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(request.body)
    return request.body
