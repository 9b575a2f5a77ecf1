"""The server's bounds met as a person expects: the daily push quota, a server asking to wait
(Retry-After), the daily upload allowance, and file types stored before the media type rule.

Each test runs the real central server (its bounds lowered to be reached quickly) and, where the
test must see or shape the answers, a real HTTP proxy in front of it. A run that would sleep
silently is stopped by ``_sync_within``, so a hang shows as a failed test, not a stuck suite.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from relay_app.cli.main import main
from relay_app.services.outbox_view import outbox_rows
from relay_app.store.models import Attachment
from relay_app.store.types import utc_now
from relay_app.sync.client import SyncClient
from relay_app.sync.connect import files_dir
from relay_app.sync.engine import RetrySchedule, SyncEngine
from relay_app.sync.errors import SyncError
from relay_app.sync.progress import Phase, SyncProgress, SyncSummary
from relay_app.sync.state import PUSH_HELD_UNTIL, write_state
from relay_app.sync.wire import API_PREFIX
from relay_central.logging import REQUEST_LOGGER
from relay_central.models import Attachment as StoredFile
from relay_central.models import PushVolume
from tests.central.harness import Central
from tests.sync.conftest import Relay, RelayFactory
from tests.sync.local_http import LocalHttpServer, Reply, Request, forwarding
from tests.sync.records import partner

META = f"{API_PREFIX}/sync/meta"
PUSH = f"{API_PREFIX}/sync/push"
UPLOADS = f"{API_PREFIX}/attachments/uploads"
# Long enough for any run of these tests; a run that sleeps on a Retry-After takes longer.
RUN_SECONDS = 20.0


@pytest.fixture
def bounded(
    start_central: Callable[..., Central], tmp_path: Path
) -> Iterator[Callable[..., tuple[Central, Callable[..., Relay]]]]:
    """A server started with lowered bounds, and a maker of relays enrolled with it."""
    factories: list[RelayFactory] = []

    def start(**settings: object) -> tuple[Central, Callable[..., Relay]]:
        central = start_central(**settings)
        factory = RelayFactory(central, tmp_path / "relays")
        factories.append(factory)
        return central, factory.make

    yield start
    for factory in factories:
        factory.close()


def _engine(
    relay: Relay, url: str, *, retries: RetrySchedule | None = None,
    steps: list[SyncProgress] | None = None,
) -> SyncEngine:
    """The relay's enrolment reached at ``url``, with the client's own retry policy."""
    client = SyncClient(url, relay.token)
    return SyncEngine(
        relay.services.database, client, files_dir=files_dir(relay.data_dir),
        retries=retries or RetrySchedule(attempts=5, first_wait=0.05, longest_wait=2.0),
        progress=steps.append if steps is not None else None,
    )


def _sync_within(engine: SyncEngine, seconds: float = RUN_SECONDS) -> SyncSummary:
    """``engine.sync()``; fails the test (after cancelling the run) if it takes longer."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["summary"] = engine.sync()
        except BaseException as error:
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        engine.cancel()
        worker.join(5)
        pytest.fail(f"the sync was still running after {seconds} s (sleeping on a Retry-After?)")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["summary"]  # type: ignore[return-value]


def _create_partners(relay: Relay, count: int, start: int = 0) -> None:
    service = relay.services.records("partners")
    for number in range(start, start + count):
        service.create(partner(number))


# -- 1. the daily push quota --------------------------------------------------------------------


def test_the_daily_push_quota_is_said_in_the_servers_words_and_sending_resumes_after_it(
    bounded: Callable[..., tuple[Central, Callable[..., Relay]]],
) -> None:
    """Tried: a server taking 3 changes a day per device. The relay sends 3, then makes 2 more
    while another relay adds one. The proxy in front of the server shortens the quota answer's
    Retry-After (until midnight UTC) to 10 minutes, standing for the night; the night then passes
    by moving the stored hold into the past, so no step depends on how fast the machine is.
    Before: the client's HTTP layer slept silently for the Retry-After, then reported a generic
    "HTTP 429" after its retries (or, with the real Retry-After, sat for hours). Now the run
    pushes once, says the server's words, keeps both changes as waiting (not as sent), still
    receives the other relay's record, and sends nothing more until the Retry-After has passed;
    then it sends them."""
    central, make_relay = bounded(max_push_changes_per_day=3)
    relay, other = make_relay("busy"), make_relay("other")
    _create_partners(relay, 3)
    assert relay.sync().in_sync
    _create_partners(relay, 2, start=3)
    _create_partners(other, 1, start=10)
    assert other.sync().in_sync

    def short_night(_request: Request, reply: Reply) -> Reply:
        if reply.status == 429:
            return Reply(reply.status, reply.body, {**reply.headers, "Retry-After": "600"})
        return reply

    steps: list[SyncProgress] = []
    with LocalHttpServer(forwarding(central.url, short_night)) as link:
        summary = _sync_within(_engine(relay, link.url, steps=steps))

        assert link.paths().count(PUSH) == 1
        assert not any(step.phase is Phase.RETRYING for step in steps)
        assert summary.reason is not None and "HTTP 429" not in summary.reason
        assert "sent as much as the server takes in one day" in summary.reason
        assert not summary.in_sync and summary.pending == 2 and summary.pulled == 1
        rows = outbox_rows(relay.services.database)
        assert len(rows) == 2 and not any(row.awaiting_receipt for row in rows)

        held = _sync_within(_engine(relay, link.url))  # before the Retry-After has passed
        assert link.paths().count(PUSH) == 1  # nothing sent again
        assert held.reason == summary.reason and held.pending == 2

        # The night passes: the hold has run out on this device, and the server counts a new day.
        with relay.services.database.write() as session:
            write_state(session, PUSH_HELD_UNTIL, (utc_now() - timedelta(seconds=1)).isoformat())
        with central.database.writing() as session:
            session.execute(delete(PushVolume))
        after = _sync_within(_engine(relay, link.url))
    assert after.in_sync and after.pushed == 2


def test_the_command_line_says_the_daily_push_quota_in_one_line(
    bounded: Callable[..., tuple[Central, Callable[..., Relay]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tried: ``relay-app sync`` once the device's daily quota is used: exit 1, the server's
    sentence on stderr (not "HTTP 429"), the changes counted as still pending."""
    _central, make_relay = bounded(max_push_changes_per_day=1)
    relay = make_relay()
    _create_partners(relay, 1)
    assert relay.sync().in_sync
    _create_partners(relay, 1, start=1)
    relay.services.close()  # the command line opens the data dir itself

    capsys.readouterr()
    outcome: list[int] = []
    # A daemon: a run sleeping on a Retry-After must not keep the test session alive.
    worker = threading.Thread(
        target=lambda: outcome.append(main(["--data-dir", str(relay.data_dir), "sync"])), daemon=True
    )
    worker.start()
    worker.join(RUN_SECONDS)
    assert not worker.is_alive(), "relay-app sync sat waiting on the server's Retry-After"
    captured = capsys.readouterr()
    assert outcome == [1]
    assert "sent as much as the server takes in one day" in captured.err
    assert "HTTP 429" not in captured.err and len(captured.err.strip().splitlines()) == 1


# -- 2. a server asking to wait ------------------------------------------------------------------


def _busy_first(status: int, seconds: str, times: int = 1) -> Callable[[Request, Reply], Reply]:
    """The first ``times`` meta answers become ``status`` with ``Retry-After: seconds``."""
    left = [times]

    def rewrite(request: Request, reply: Reply) -> Reply:
        if request.path.startswith(META) and left[0] > 0:
            left[0] -= 1
            body = b'{"error": "unavailable", "message": "The server is busy."}'
            return Reply(status, body, {"Content-Type": "application/json", "Retry-After": seconds})
        return reply

    return rewrite


@pytest.mark.parametrize("status", [429, 503])
def test_a_short_retry_after_is_waited_out_where_a_person_sees_it(
    central: Central, make_relay: Callable[..., Relay], status: int
) -> None:
    """Tried: the first meta answer is ``status`` with ``Retry-After: 1``. Before: the HTTP layer
    slept that second without a word and asked again. Now the engine waits it out as one of its
    retries, reported as a step saying the server asked to wait, then the run goes on."""
    relay = make_relay()
    _create_partners(relay, 1)
    steps: list[SyncProgress] = []
    with LocalHttpServer(forwarding(central.url, _busy_first(status, "1"))) as link:
        summary = _sync_within(_engine(relay, link.url, steps=steps))
    assert summary.in_sync and summary.pushed == 1
    assert link.paths()[:2] == [META, META]
    waits = [step for step in steps if step.phase is Phase.WAITING]
    assert len(waits) == 1 and waits[0].done == 1  # the seconds the server asked for


def test_a_retry_after_longer_than_the_engine_waits_ends_the_run_saying_when(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: meta answered 503 with ``Retry-After: 7200`` (a gateway in maintenance). Before:
    the HTTP layer slept for it, silently (hours, on a thread the person cannot see). Now the run
    ends at once, after one request, with a message saying when to try again."""
    relay = make_relay()
    _create_partners(relay, 1)
    with LocalHttpServer(forwarding(central.url, _busy_first(503, "7200"))) as link, \
            pytest.raises(SyncError) as stopped:
        _sync_within(_engine(relay, link.url))
    assert link.paths() == [META]
    assert stopped.value.code == "server_asks_to_wait"
    assert "2 hours" in str(stopped.value) and "changes are kept" in str(stopped.value)
    assert relay.services.status().pending_changes == 1


def test_cancel_during_a_wait_the_server_asked_for_takes_effect_within_a_second(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: a Retry-After of 20 s that the engine (longest wait 30 s) waits out; Cancel is
    pressed during the wait."""
    relay = make_relay()
    waiting = threading.Event()

    def seen(step: SyncProgress) -> None:
        if step.phase is Phase.WAITING:
            waiting.set()

    with LocalHttpServer(forwarding(central.url, _busy_first(503, "20"))) as link:
        engine = _engine(relay, link.url, retries=RetrySchedule(attempts=5, longest_wait=30.0))
        engine.progress = seen
        outcome: list[BaseException] = []
        worker = threading.Thread(target=lambda: _catch(engine.sync, outcome))
        worker.start()
        assert waiting.wait(RUN_SECONDS)
        asked = time.monotonic()
        engine.cancel()
        worker.join(5)
        stopped_after = time.monotonic() - asked
    assert not worker.is_alive() and stopped_after < 1.0
    assert len(outcome) == 1 and getattr(outcome[0], "code", None) == "cancelled"


def _catch(call: Callable[[], object], outcome: list[BaseException]) -> None:
    try:
        call()
    except BaseException as error:
        outcome.append(error)


# -- 3. the daily upload allowance ---------------------------------------------------------------


def _photo(relay: Relay, size: int, media_type: str = "image/jpeg") -> str:
    """A photo of a new partner as an older version of the app may have stored it."""
    content = os.urandom(size)
    sha256 = hashlib.sha256(content).hexdigest()
    folder = files_dir(relay.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / sha256).write_bytes(content)
    owner = relay.services.records("partners").create(partner(size)).id
    now = utc_now()
    with relay.services.database.write() as session:
        session.add(Attachment(
            id=str(uuid.uuid4()), created_at=now, updated_at=now, deleted=False, dirty_fields=[],
            owner_kind="partners", owner_id=owner, role="photo", sha256=sha256,
            media_type=media_type, size=size, filename="parcelle.jpg",
        ))
    return sha256


def _creations(caplog: pytest.LogCaptureFixture, expected: int) -> list[int]:
    """The statuses the server answered upload creations with, once ``expected`` are logged
    (each request's line follows its answer out), and a moment for any that should not be."""

    def statuses() -> list[int]:
        return [getattr(record, "status", 0) for record in caplog.records
                if record.name == REQUEST_LOGGER and getattr(record, "method", "") == "POST"
                and getattr(record, "path", "") == UPLOADS]

    deadline = time.monotonic() + 10
    while len(statuses()) < expected and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    return statuses()


def test_files_past_the_daily_upload_allowance_wait_and_the_others_go(
    bounded: Callable[..., tuple[Central, Callable[..., Relay]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Tried: a server taking 150 KB of files a day from a device; the relay has two photos of
    100 KB and one of 30 KB (sent in hash order). Before: the refused photo was counted as failed
    and the summary said only that a file waits to be sent. Now the records all go, the photos
    that fit go, the other stays queued, the summary says it waits for the server's daily upload
    allowance, and no creation is asked twice in a run."""
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    central, make_relay = bounded(max_daily_upload_bytes=150_000)
    relay = make_relay()
    for size in (100_000, 100_000, 30_000):
        _photo(relay, size)

    summary = _sync_within(_engine(relay, central.url))

    assert summary.in_sync and summary.pushed == 3
    assert summary.files_uploaded == 2 and summary.files_pending == 1
    assert summary.files_over_quota == 1 and summary.files_failed == 0
    assert sorted(_creations(caplog, 3)) == [201, 201, 413]
    assert "the server's daily upload allowance for this device is used up" in (
        summary.upload_quota_note() or "")

    caplog.clear()
    again = _sync_within(_engine(relay, central.url))  # the same day: asked once more, no more
    assert again.files_over_quota == 1 and again.files_uploaded == 0
    assert _creations(caplog, 1) == [413]


def test_the_command_line_summary_names_files_waiting_for_the_upload_allowance(
    bounded: Callable[..., tuple[Central, Callable[..., Relay]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _central, make_relay = bounded(max_daily_upload_bytes=50_000)
    relay = make_relay()
    _photo(relay, 60_000)
    relay.services.close()
    capsys.readouterr()
    assert main(["--data-dir", str(relay.data_dir), "sync"]) == 0  # the records are all there
    out = capsys.readouterr().out
    assert "1 file waits: the server's daily upload allowance for this device is used up" in out


# -- 5. media types stored before the rule -------------------------------------------------------


def test_a_file_stored_with_a_media_type_from_before_the_rule_uploads_as_octet_stream(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: a photo whose stored media type carries a parameter and a line break (allowed
    before the rule: ``image/jpeg; name="a"\\r\\nX: y``). Before: the upload's metadata was
    refused (400) at every sync and the file never reached the server. Now it goes as
    application/octet-stream, the type the server serves such a file with anyway."""
    relay = make_relay()
    sha256 = _photo(relay, 20_000, media_type='image/jpeg; name="a"\r\nX: y')
    summary = _sync_within(_engine(relay, central.url))
    assert summary.files_uploaded == 1 and summary.files_failed == 0
    with central.database.reading() as session:
        stored = session.get(StoredFile, sha256)
    assert stored is not None and stored.media_type == "application/octet-stream"
