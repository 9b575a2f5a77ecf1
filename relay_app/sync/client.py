"""The HTTP side of sync: one requests Session speaking the sync protocol to one central server.

Poor links are the normal case: every call has connect and read timeouts, connection-level failures
and gateway errors (502, 504) are retried by urllib3 with short exponential backoff and jitter
(pushes too: the server recognises a replayed change by its device and sequence number), request
bodies are gzip-compressed and answers arrive compressed. A server that is busy (429, 503) is left
to the caller's retry loop, which says that it waits: urllib3 would sleep out a ``Retry-After`` of
any length without a word, so it never reads one; ``TransientFailure.retry_after`` carries it.
Each call runs on a helper thread so that a cancel takes effect within a fraction of a second; an
abandoned call is harmless because every call is idempotent.

Only what may pass is a ``TransientFailure`` (a cut link, a timeout, a busy server). An answer that
asking again cannot change (a captive portal's page, a server error, a complete answer that is not
JSON) stops the run at once with words for what it is (``relay_app.sync.errors``).
"""

from __future__ import annotations

import gzip
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.retry import Retry

from relay_app import __version__
from relay_app.i18n import _
from relay_app.sync.errors import (
    Cancelled,
    CaptivePortal,
    DamagedAnswer,
    Offline,
    PushQuotaReached,
    ServerFailed,
    ServerTrouble,
    ServerUnavailable,
    SyncError,
)
from relay_app.sync.wire import (
    API_PREFIX,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    EnrollRequest,
    EnrollResponse,
    MetaResponse,
    MissingRequest,
    MissingResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordKey,
    RecordsRequest,
    RecordsResponse,
    ServerIdentity,
)

Model = TypeVar("Model", bound=BaseModel)
Result = TypeVar("Result")

# How often a waiting call looks at the cancel flag.
CANCEL_POLL_SECONDS = 0.1
# A gateway's or a busy server's statuses, and a timed-out or throttled request: worth asking again.
# Any other 5xx is the server failing at the request itself, which asking again does not mend.
RETRIED_STATUSES = (408, 429, 502, 503, 504)
NETWORK_SIGN_IN = 511  # RFC 6585: a captive portal asking to sign in
RECORDS_PER_QUESTION = 500  # the most keys one ``sync/records`` request may name


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    read: float = 60.0


@dataclass
class Traffic:
    """Bytes on the wire each way (compressed sizes, bodies only), and the time the calls took."""

    sent: int = 0
    received: int = 0
    seconds: float = 0.0  # how fast the link is: see ``relay_app.sync.data_saver``


class TransientFailure(SyncError):
    """A call that may succeed if tried again: a timeout, a cut connection, a 5xx or a 413.

    ``unreachable`` means no connection could be made at all (no network, server down), where
    trying for long only keeps a person waiting. ``retry_after`` is the wait in seconds the server
    asked for (its ``Retry-After``), if it asked.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int | None = None,
        unreachable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.unreachable = unreachable
        self.retry_after = retry_after

    def given_up(self) -> SyncError:
        """What to tell a person once the retries are spent: the server's state when it answered,
        the network's when it did not."""
        if self.status in RETRIED_STATUSES:
            return ServerUnavailable(self.status)
        if self.status is not None:  # too large, even as a batch of one
            return ServerTrouble(str(self), code=self.code, status=self.status)
        return Offline(str(self))


# Called after the n-th failure in a row of one step: waits, or raises to give up (or on a cancel).
Pause = Callable[[int, TransientFailure], None]


def retrying(call: Callable[[], Result], pause: Pause) -> Result:
    """``call`` until it succeeds, with ``pause`` between transient failures."""
    failures = 0
    while True:
        try:
            return call()
        except TransientFailure as error:
            failures += 1
            pause(failures, error)


def _retry_policy(total: int) -> Retry:
    return Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=0.3,
        backoff_max=8.0,
        backoff_jitter=0.3,
        status_forcelist=(502, 504),  # a gateway's hiccup; a busy server (429, 503) is the caller's
        allowed_methods=None,  # every call is idempotent, pushes included
        raise_on_status=False,
        # Never a silent sleep: a Retry-After is the caller's to wait out where a person sees it.
        respect_retry_after_header=False,
    )


class SyncClient:
    """Talks to ``server_url`` with ``token``; ``cancel`` (when set) stops any call within ~0.1 s."""

    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        timeouts: Timeouts | None = None,
        retries: int = 3,
        cancel: threading.Event | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.token = token
        self.timeouts = timeouts or Timeouts()
        self.cancel = cancel or threading.Event()
        self.traffic = Traffic()
        self._retries = retries
        self._pool: list[requests.Session] = []
        self._pool_lock = threading.Lock()

    # -- the endpoints -------------------------------------------------------------------------

    def enroll(self, code: str, device_id: str, device_name: str) -> EnrollResponse:
        body = EnrollRequest(code=code, device_id=device_id, device_name=device_name)
        return self._call("POST", "/enroll", EnrollResponse, body=body, auth=False)

    def identify(self) -> ServerIdentity:
        """Who the server at this address is; asked without the token, before trusting it."""
        return self._call("GET", "/server", ServerIdentity, auth=False)

    def meta(self) -> MetaResponse:
        return self._call("GET", "/sync/meta", MetaResponse)

    def push(self, request: PushRequest, *, read_timeout: float | None = None) -> PushResponse:
        return self._call("POST", "/sync/push", PushResponse, body=request, read_timeout=read_timeout)

    def pull(self, cursor: str | None, limit: int) -> PullResponse:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._call("GET", "/sync/pull", PullResponse, params=params)

    def records(self, keys: list[RecordKey]) -> RecordsResponse:
        """The full latest versions of ``keys`` (protocol 2), asked 500 at a time.

        Records the device may not read, or that the server does not hold, are left out.
        """
        items = []
        for start in range(0, len(keys), RECORDS_PER_QUESTION):
            chunk = keys[start : start + RECORDS_PER_QUESTION]
            answer = self._call("POST", "/sync/records", RecordsResponse,
                                body=RecordsRequest(keys=chunk))
            items.extend(answer.items)
        return RecordsResponse(items=items)

    def missing(self, hashes: list[str]) -> MissingResponse:
        return self._call("POST", "/attachments/missing", MissingResponse,
                          body=MissingRequest(hashes=hashes))

    def raw(
        self, method: str, path: str, headers: dict[str, str], data: bytes | None = None
    ) -> requests.Response:
        """A call whose answer is not JSON (tus uploads). ``path`` is absolute on the server.

        Network failures are ``TransientFailure``; HTTP statuses are the caller's to read.
        """
        url = f"{self.server_url}{path}"
        sent = {"Authorization": f"Bearer {self.token}", **headers}
        timeout = (self.timeouts.connect, self.timeouts.read)
        response = self._exchange(method, url, data=data, headers=sent, timeout=timeout)
        # Our server never answers a web page; a file may look like one, so only the type counts.
        if _is_portal(response) or (response.ok and _declares_html(response)):
            raise CaptivePortal()
        if response.status_code >= 500:
            raise error_for(response)
        return response

    # -- plumbing ------------------------------------------------------------------------------

    def close(self) -> None:
        with self._pool_lock:
            sessions, self._pool = self._pool, []
        for session in sessions:
            session.close()

    def _take_session(self) -> requests.Session:
        """A session from the pool (kept-alive connections), or a new one while all are busy.

        Busy means a call abandoned by a cancel still runs on it; it comes back when that ends.
        """
        with self._pool_lock:
            if self._pool:
                return self._pool.pop()
        session = requests.Session()
        adapter = HTTPAdapter(max_retries=_retry_policy(self._retries))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update(
            {
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "Accept-Encoding": "gzip",
                "User-Agent": f"relay-app/{__version__}",
            }
        )
        return session

    def _give_back(self, session: requests.Session) -> None:
        with self._pool_lock:
            self._pool.append(session)

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None,
        headers: dict[str, str],
        timeout: tuple[float, float],
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        """One request, cancellable, its bytes counted; network failures become ``TransientFailure``."""

        def send() -> requests.Response:
            session = self._take_session()
            try:
                # The protocol has no redirects: one is a captive portal's (or someone's) detour,
                # and following it would hand the request to another address.
                response = session.request(
                    method, url, data=data, params=params, headers=headers, timeout=timeout,
                    allow_redirects=False,
                )
                len(response.content)  # read the body here, so a cut surfaces as a retryable error
                return response
            finally:
                self._give_back(session)

        started = time.monotonic()
        try:
            response = run_cancellable(send, self.cancel)
        except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as error:
            raise TransientFailure(
                _describe(error), code="network", unreachable=_unreachable(error)
            ) from error
        self.traffic.sent += len(data or b"")
        self.traffic.received += _wire_size(response)
        took = time.monotonic() - started
        # What the server spent working is not the link's time: take it out. A claim longer than
        # the whole call cannot be true (a broken or lying server): the call counts whole.
        worked = server_seconds(response)
        self.traffic.seconds += took - worked if worked <= took else took
        return response

    def _call(
        self,
        method: str,
        path: str,
        answer: type[Model],
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        read_timeout: float | None = None,
    ) -> Model:
        headers: dict[str, str] = {}
        data: bytes | None = None
        if auth:
            if not self.token:
                raise SyncError(_("This device has no token for this server."), code="unauthorized")
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            data = gzip.compress(body.model_dump_json().encode("utf-8"), compresslevel=6)
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        url = f"{self.server_url}{API_PREFIX}{path}"
        timeout = (self.timeouts.connect, read_timeout or self.timeouts.read)
        response = self._exchange(method, url, data=data, params=params, headers=headers, timeout=timeout)
        if _is_portal(response) or (response.ok and _looks_like_html(response)):
            raise CaptivePortal()
        if not _framed(response) or not response.content:
            # A link dropped inside the headers reads as a complete answer with an empty body; a
            # server never answers an empty body where JSON is due, so that is a cut too.
            raise TransientFailure(_("connection lost"), code="network")
        if response.status_code >= 400:
            raise error_for(response)
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as error:
            if any(problem["type"] == "json_invalid" for problem in error.errors()):
                # The whole framed answer arrived (a cut link fails the read instead), and it is
                # not JSON: the server or something on the way sent it so; asking again will not
                # mend it.
                raise DamagedAnswer() from error
            raise SyncError(
                _("The server's answer could not be read ({detail}).").format(detail=error.error_count()),
                code="bad_answer",
            ) from error


def run_cancellable(call: Callable[[], Result], cancel: threading.Event) -> Result:
    """``call()`` on a helper thread; raises ``Cancelled`` as soon as ``cancel`` is set."""
    if cancel.is_set():
        raise Cancelled()
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed over to the waiting thread
            outcome["error"] = error
        finally:
            finished.set()

    threading.Thread(target=target, name="relay-sync-http", daemon=True).start()
    while not finished.wait(CANCEL_POLL_SECONDS):
        if cancel.is_set():
            raise Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def _is_portal(response: requests.Response) -> bool:
    """A redirect (never part of the protocol) or the status a captive portal signs in with."""
    return response.is_redirect or response.status_code == NETWORK_SIGN_IN


def _declares_html(response: requests.Response) -> bool:
    return response.headers.get("Content-Type", "").lower().startswith(("text/html", "application/xhtml"))


def _looks_like_html(response: requests.Response) -> bool:
    """A web page where JSON was expected: said by its type, or by its first character."""
    return _declares_html(response) or response.content.lstrip()[:1] == b"<"


def _framed(response: requests.Response) -> bool:
    """The answer said how long it is, so a short read would have been caught."""
    headers = response.headers
    return "Content-Length" in headers or "chunked" in headers.get("Transfer-Encoding", "").lower()


def _wire_size(response: requests.Response) -> int:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and "gzip" in response.headers.get("Content-Encoding", ""):
        return int(length)
    return len(response.content)


def _unreachable(error: Exception) -> bool:
    if isinstance(error, requests.ConnectTimeout):
        return True
    cause = error.args[0] if error.args else None
    return isinstance(getattr(cause, "reason", None), NewConnectionError | ConnectTimeoutError)


def _describe(error: Exception) -> str:
    if _unreachable(error):
        return _("no connection to the server")
    if isinstance(error, requests.Timeout):
        return _("no answer in time")
    return _("connection lost")


def server_seconds(response: requests.Response) -> float:
    """The server's own time on a request, from `Server-Timing: app;dur=MS` (0 when absent)."""
    for metric in response.headers.get("Server-Timing", "").split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        if name != "app":
            continue
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "dur":
                try:
                    milliseconds = float(value.strip().strip('"'))
                except ValueError:
                    return 0.0
                return milliseconds / 1000 if math.isfinite(milliseconds) and milliseconds > 0 else 0.0
    return 0.0


def retry_after_seconds(response: requests.Response) -> float | None:
    """The wait the answer asks for (``Retry-After``: seconds, or an HTTP date), None if none."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # unreadable: as if the server had not said
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_for(response: requests.Response) -> SyncError:
    status = response.status_code
    if _is_portal(response):
        return CaptivePortal()
    try:
        payload = json.loads(response.content)
        code = str(payload.get("error", "http_error"))
        server_message = str(payload.get("message", ""))
    except (ValueError, AttributeError):
        code, server_message = "http_error", ""
    if code == "push_quota":  # not busy: done for today; asking again before then is refused
        return PushQuotaReached(server_message, retry_after_seconds(response))
    if status in RETRIED_STATUSES or code in ("body_too_large", "batch_too_large"):
        return TransientFailure(
            _("The server could not take the request (HTTP {status}).").format(status=status),
            code=code,
            status=status,
            retry_after=retry_after_seconds(response),
        )
    if status >= 500:
        return ServerFailed(status)
    if status == 426:
        message = server_message or _("This version of Relay cannot sync with this server.")
    elif status == 401:
        message = _("The server no longer accepts this device ({reason}); enrol it again.").format(
            reason=server_message or code
        )
    elif status == 403 and code == "enrolment_code_invalid":
        message = _("The enrolment code is unknown, used or expired.")
    else:
        message = _("The server refused the request (HTTP {status}): {reason}").format(
            status=status, reason=server_message or code
        )
    return SyncError(message, code=code, status=status)


__all__ = [
    "SyncClient", "Timeouts", "Traffic", "TransientFailure", "run_cancellable", "server_seconds",
]
