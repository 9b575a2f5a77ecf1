"""One sync run: idle check, push the outbox, pull the feed, move files; safe to stop at any moment.

Every step that changes local data is one SQLite transaction (a push answer's receipts; a pulled
page with its cursor), so a run killed or cancelled anywhere leaves a store the next run simply
continues from. Nothing here reads the device clock to order anything: the server's versions and
cursors do that; the clock only spaces out retries and stamps the run history.

Files go after the records that name them. With the data saver on (``relay_app.sync.data_saver``)
they wait for a person's say-so or for a run whose records moved over a good link.
"""

from __future__ import annotations

import math
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from relay_app.i18n import _, ngettext
from relay_app.services.duplicates import REGISTRATIONS, merges_to_settle, settle_merges_in
from relay_app.services.outbox import device_identity, move_past
from relay_app.store.database import Database
from relay_app.store.models import PendingChange, SyncConflict, SyncRun
from relay_app.store.types import utc_now
from relay_app.sync.apply import apply_fetched, apply_page, keys_to_fetch, start_snapshot
from relay_app.sync.attachments import AttachmentUploader, file_path, pending_hashes
from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.client import (
    RECORDS_PER_QUESTION,
    SyncClient,
    Traffic,
    TransientFailure,
    retrying,
)
from relay_app.sync.data_saver import link_is_good, read_data_saver
from relay_app.sync.downloads import AttachmentDownloader, wanted_files
from relay_app.sync.errors import Cancelled, PushQuotaReached, ServerAsksToWait, SyncError
from relay_app.sync.identity import check_answered_id, confirm_server, explain_refused_token
from relay_app.sync.progress import Phase, ProgressCallback, SyncProgress, SyncSummary
from relay_app.sync.push import (
    Outgoing,
    ReceiptCounts,
    build_batch,
    build_probes,
    due_entries,
    forget_sent,
    mark_sent,
    store_receipts,
    unconfirmed_entries,
)
from relay_app.sync.push_hold import hold_pushes, push_hold, release_pushes
from relay_app.sync.state import (
    CURSOR,
    CURSOR_PROTOCOL,
    LAST_SUCCESS,
    SNAPSHOT,
    read_state,
    write_state,
)
from relay_app.sync.wire import PROTOCOL_VERSION, MetaResponse, PushRequest

Result = TypeVar("Result")
# No connection at all (server down, no network): urllib3 has already retried; report it soon.
UNREACHABLE_ATTEMPTS = 2


@dataclass(frozen=True)
class RetrySchedule:
    """Waits between attempts of one step: exponential, capped, with jitter so relays spread out."""

    attempts: int = 8
    first_wait: float = 0.5
    longest_wait: float = 30.0

    def wait(self, attempt: int) -> float:
        ceiling = min(self.longest_wait, self.first_wait * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


class SyncEngine:
    """Syncs one local store with one server through ``client``.

    ``cancel`` (shared with the client) stops a run within a fraction of a second; what was stored
    until then stays, and the next run continues from there.
    """

    def __init__(
        self,
        database: Database,
        client: SyncClient,
        *,
        progress: ProgressCallback | None = None,
        batch: AdaptiveBatch | None = None,
        pull_limit: int = 500,
        retries: RetrySchedule | None = None,
        files_dir: Path | None = None,
        on_revoked: Callable[[], SyncError] | None = None,
    ) -> None:
        self.database = database
        # What to do when the server says this device was revoked (erase the personal data):
        # it returns the error the run then stops with.
        self.on_revoked = on_revoked
        self.files_dir = files_dir
        self.client = client
        self.cancel_event = client.cancel
        self.progress = progress or (lambda _step: None)
        self.batch = batch or AdaptiveBatch()
        self.pull_limit = pull_limit
        self.retries = retries or RetrySchedule()
        self._running = threading.Lock()

    def cancel(self) -> None:
        """Stop the running sync within a fraction of a second; what it stored stays."""
        self.cancel_event.set()

    def tick(self) -> SyncSummary:
        """The periodic sync: level-triggered, so a non-empty outbox is retried on every tick.

        Changes the server refused wait out their backoff here; a person's ``sync()`` sends them
        at once.
        """
        return self.sync(retry_refused=False)

    def sync(self, *, retry_refused: bool = True, files: bool | None = None) -> SyncSummary:
        """One run. ``files``: None follows the data saver, True moves files now, False only
        records (files wait for a later run)."""
        if not self._running.acquire(blocking=False):
            raise SyncError(_("A sync is already running."), code="busy")
        try:
            self.cancel_event.clear()  # a cancel stops the run it was meant for, not the next one
            summary = SyncSummary()
            run_id = self._start_run()
            try:
                self._run(summary, retry_refused, files)
            except BaseException as error:
                stopped = isinstance(error, Cancelled | KeyboardInterrupt)
                self._count_so_far(summary)
                summary.reason = str(error)
                self._finish_run(run_id, summary, "cancelled" if stopped else "failed")
                if isinstance(error, SyncError) and error.code == "revoked" and self.on_revoked:
                    wiped = self.on_revoked()
                    wiped.summary = summary
                    raise wiped from error
                if isinstance(error, SyncError):
                    error.summary = summary
                raise
            self._finish_run(run_id, summary, "ok" if summary.in_sync else "failed")
            return summary
        finally:
            self._running.release()

    # -- the steps -------------------------------------------------------------------------------

    def _run(self, summary: SyncSummary, retry_refused: bool, files: bool | None) -> None:
        # The data saver decides after the records, on how fast they moved in this run.
        decide_later = files is None and read_data_saver(self.database)
        move_files = bool(files) if files is not None else not decide_later
        started = Traffic(**vars(self.client.traffic))
        self._report(Phase.CHECKING)
        confirm_server(self.database, self.client)  # before the token goes out, unless asked lately
        try:
            meta = self._retrying(self.client.meta)
        except SyncError as refused:
            if refused.status == 401:  # refused by the enrolled server, or by another one?
                explain_refused_token(self.database, self.client)
            raise
        # Before anything is sent: an address that now leads to another server stops here.
        check_answered_id(self.database, self.client.server_url, meta.server_id)
        self._catch_up_counter(meta)
        self._renew_old_cursor()
        self.batch.limit_to(meta.limits.max_batch_changes)
        pull_limit = min(self.pull_limit, meta.limits.max_pull_limit)
        if self._idle(meta, retry_refused, files=move_files):
            summary.idle = True
        else:
            self._push(summary, retry_refused)
            if move_files:
                self._upload_files(summary, meta)
            self._pull(summary, pull_limit)
            self._fetch_records(summary)
            if decide_later and link_is_good(_since(started, self.client.traffic)):
                move_files = True
                self._upload_files(summary, meta)
            if move_files:
                self._download_files(summary)
        self._conclude(summary)
        summary.files_held_back = decide_later and not move_files and bool(
            summary.files_pending or summary.files_to_download
        )

    def _renew_old_cursor(self) -> None:
        """A cursor earned with an older protocol: pull everything once (a snapshot)."""
        with self.database.read() as session:
            cursor = read_state(session, CURSOR)
            earned_with = read_state(session, CURSOR_PROTOCOL)
        if cursor is not None and earned_with != str(PROTOCOL_VERSION):
            start_snapshot(self.database, None)

    def _catch_up_counter(self, meta: MetaResponse) -> None:
        """A store restored from an older copy renumbers its newer changes before any push."""
        if not meta.device_last_seq:
            return
        with self.database.read() as session:
            if device_identity(session).last_seq >= meta.device_last_seq:
                return
        with self.database.write() as session:
            move_past(session, meta.device_last_seq)

    def _idle(self, meta: MetaResponse, retry_refused: bool, *, files: bool) -> bool:
        """Nothing to send or fetch and the cursor is the server's latest: one round trip, done.

        Files count only when this run may move them (not while the data saver holds them).
        """
        with self.database.read() as session:
            if read_state(session, SNAPSHOT):
                return False
            if due_entries(session, None if retry_refused else utc_now()) or merges_to_settle(session):
                return False
            cursor = read_state(session, CURSOR)
        if cursor != meta.latest_cursor or keys_to_fetch(self.database):
            return False
        return not (files and (self._files_waiting() or self._files_wanted()))

    def _push(self, summary: SyncSummary, retry_refused: bool) -> None:
        """Send the outbox; after the server's daily push quota, nothing until its Retry-After
        (a person's sync too: the server would refuse it), while the rest of the run goes on."""
        with self.database.read() as session:
            summary.push_held = push_hold(session, utc_now())
        if summary.push_held is not None:
            return
        try:
            self._push_outbox(summary, retry_refused)
        except PushQuotaReached as refused:
            summary.push_held = str(refused)

    def _push_outbox(self, summary: SyncSummary, retry_refused: bool) -> None:
        with self.database.read() as session:
            probes = build_probes(session, unconfirmed_entries(session))
        self._push_entries(summary, ReceiptCounts(), probes=probes, retry_refused=retry_refused)
        # A merge's delete may go only once its pointer is on the server, which the receipts
        # just stored may say: send those deletes in this same run, in one more push (only them,
        # so a change refused a moment ago is not sent twice).
        with self.database.write() as session:
            settled = settle_merges_in(session)
        if settled:
            deletes = [(REGISTRATIONS, record_id) for record_id in settled]
            self._push_entries(summary, ReceiptCounts(), keys=deletes)

    def _push_entries(
        self,
        summary: SyncSummary,
        counts: ReceiptCounts,
        *,
        probes: list[Outgoing] | None = None,
        retry_refused: bool = False,
        keys: list[tuple[str, str]] | None = None,
    ) -> None:
        """Push ``keys`` (by default the outbox entries due now), after ``probes``."""
        total = 0
        position = 0
        try:
            if probes:
                self._send(probes, counts, probes=True)
            if keys is None:
                with self.database.read() as session:
                    # Taken once: an entry edited during this run waits for the next one (``tick``).
                    keys = due_entries(session, None if retry_refused else utc_now())
            total = len(keys)
            while position < len(keys):
                chunk = keys[position : position + self.batch.size]
                with self.database.read() as session:
                    sent = build_batch(session, chunk)
                if sent:
                    self._report(Phase.PUSHING, position, total)
                    self._send(sent, counts)
                position += len(chunk)
                self._report(Phase.PUSHED, position, total)
        finally:  # a run stopped midway still tells what its stored receipts did
            summary.pushed += counts.pushed
            summary.conflicts += counts.conflicts
            summary.rejected += counts.rejected
            summary.rejected_messages.extend(counts.rejected_messages)

    def _send(self, sent: list[Outgoing], counts: ReceiptCounts, *, probes: bool = False) -> None:
        """Push ``sent``, in smaller pieces when the link cannot carry it whole."""
        remaining = list(sent)
        failures = 0
        while remaining:
            piece = remaining[: self.batch.size]
            if not probes:
                with self.database.write() as session:
                    mark_sent(session, piece)
            request = PushRequest(
                batch_id=uuid.uuid4().hex, changes=[outgoing.change for outgoing in piece]
            )
            started = time.monotonic()
            try:
                answer = self.client.push(request)
            except TransientFailure as error:
                failures += 1
                self.batch.failed()
                self._pause_or_give_up(failures, error)
                continue
            except PushQuotaReached as refused:  # nothing of it was applied
                with self.database.write() as session:
                    if not probes:
                        forget_sent(session, piece)
                    hold_pushes(session, utc_now(), refused.retry_after, str(refused))
                raise
            self.batch.answered(time.monotonic() - started)
            failures = 0
            self._report(Phase.PUSH_ANSWERED)
            with self.database.write() as session:
                store_receipts(session, piece, list(answer.results), counts, probes=probes)
                release_pushes(session)
            remaining = remaining[len(piece) :]

    def _files_waiting(self) -> list[str]:
        folder = self.files_dir
        if folder is None:
            return []
        return [sha for sha in pending_hashes(self.database) if file_path(folder, sha).is_file()]

    def _upload_files(self, summary: SyncSummary, meta: MetaResponse) -> None:
        """After the records: the files they name that the server lacks (tus, resumable)."""
        if self.files_dir is None or not self._files_waiting():
            return
        self._report(Phase.UPLOADING)
        uploader = AttachmentUploader(
            self.database, self.client, self.files_dir, pause=self._pause_or_give_up,
            on_chunk=lambda sent: self._report(Phase.UPLOADING, sent),
        )
        counts = uploader.upload_missing(meta.limits.max_chunk_bytes)
        summary.files_uploaded += counts.uploaded
        summary.files_failed += counts.failed
        summary.files_over_quota += counts.over_quota
        summary.upload_quota_limit = counts.quota_limit or summary.upload_quota_limit

    def _files_wanted(self) -> int:
        if self.files_dir is None:
            return 0
        return len(wanted_files(self.database, self.files_dir))

    def _download_files(self, summary: SyncSummary) -> None:
        """Files linked elsewhere that are not here yet; one not on the server yet waits."""
        if self.files_dir is None or not self._files_wanted():
            return
        self._report(Phase.DOWNLOADING)
        downloader = AttachmentDownloader(
            self.database, self.client, self.files_dir, pause=self._pause_or_give_up,
            on_chunk=lambda done, total: self._report(Phase.DOWNLOADING, done, total),
        )
        counts = downloader.download_missing()
        summary.files_downloaded += counts.downloaded
        summary.files_failed += counts.failed

    def _fetch_records(self, summary: SyncSummary) -> None:
        """Own changes the feed announced without values, where this copy is older."""
        keys = keys_to_fetch(self.database)
        for start in range(0, len(keys), RECORDS_PER_QUESTION):
            asked = keys[start : start + RECORDS_PER_QUESTION]
            answer = self._retrying(lambda asked=asked: self.client.records(asked))
            summary.fetched += apply_fetched(self.database, asked, list(answer.items))
            self._report(Phase.PULLED, summary.pulled)

    def _pull(self, summary: SyncSummary, limit: int) -> None:
        with self.database.read() as session:
            cursor = read_state(session, CURSOR)
            snapshot = bool(read_state(session, SNAPSHOT))
        while True:
            self._report(Phase.PULLING, summary.pulled)
            page = self._retrying(lambda cursor=cursor: self.client.pull(cursor, limit))
            if page.resync:
                start_snapshot(self.database, page.next_cursor)
                cursor, snapshot = page.next_cursor, True
                summary.resynced = True
                continue
            apply_page(self.database, page, snapshot=snapshot)
            summary.pulled += len(page.items)
            cursor = page.next_cursor
            self._report(Phase.PULLED, summary.pulled)
            if not page.has_more:
                return

    def _count_so_far(self, summary: SyncSummary) -> None:
        """A stopped run's partial summary: the bytes it moved and what it left waiting."""
        summary.bytes_sent = self.client.traffic.sent
        summary.bytes_received = self.client.traffic.received
        with self.database.read() as session:
            summary.pending = session.scalar(select(func.count()).select_from(PendingChange)) or 0
            summary.open_conflicts = session.scalar(select(func.count()).select_from(SyncConflict)) or 0

    def _conclude(self, summary: SyncSummary) -> None:
        with self.database.write() as session:
            summary.pending = session.scalar(select(func.count()).select_from(PendingChange)) or 0
            summary.open_conflicts = session.scalar(select(func.count()).select_from(SyncConflict)) or 0
            if summary.pending == 0 and summary.open_conflicts == 0:
                write_state(session, LAST_SUCCESS, utc_now().isoformat())
        summary.files_pending = len(self._files_waiting())
        summary.files_to_download = self._files_wanted()
        summary.bytes_sent = self.client.traffic.sent
        summary.bytes_received = self.client.traffic.received
        if summary.open_conflicts:
            summary.reason = ngettext(
                "{count} conflict waits for your decision.",
                "{count} conflicts wait for your decision.",
                summary.open_conflicts,
            ).format(count=summary.open_conflicts)
        elif summary.pending and summary.push_held is not None:
            summary.reason = summary.push_held  # the server's words: when sending goes on
        elif summary.pending:
            summary.reason = ngettext(
                "{count} change is not on the server yet (refused or made during the sync).",
                "{count} changes are not on the server yet (refused or made during the sync).",
                summary.pending,
            ).format(count=summary.pending)
        self._report(Phase.DONE)

    # -- retries, progress, history --------------------------------------------------------------

    def _retrying(self, call: Callable[[], Result]) -> Result:
        return retrying(call, self._pause_or_give_up)

    def _pause_or_give_up(self, failures: int, error: TransientFailure) -> None:
        attempts = UNREACHABLE_ATTEMPTS if error.unreachable else self.retries.attempts
        if failures >= attempts:
            raise error.given_up() from error
        wait = self.retries.wait(failures - 1)
        asked = error.retry_after
        if asked:  # "Retry-After: 0" asks for no wait: the usual backoff
            # The server said how long: waited out where a person sees it, never longer than
            # this engine's own longest wait (a run is not left sitting for hours).
            if asked > self.retries.longest_wait:
                raise ServerAsksToWait(asked, utc_now()) from error
            wait = max(wait, asked)
            self._report(Phase.WAITING, math.ceil(asked))
        else:
            # Said while waiting, so "Sending changes" does not stay on screen over a dead link.
            self._report(Phase.RETRYING, failures + 1, attempts)
        if self.cancel_event.wait(wait):
            raise Cancelled()

    def _report(self, phase: Phase, done: int = 0, total: int | None = None) -> None:
        traffic = self.client.traffic
        self.progress(SyncProgress(phase, done, total, traffic.sent, traffic.received))
        if self.cancel_event.is_set():
            raise Cancelled()

    def _start_run(self) -> int:
        with self.database.write() as session:
            run = SyncRun(server_url=self.client.server_url, started_at=utc_now(), outcome="running",
                          pushed=0, pulled=0, conflicts=0, rejected=0, bytes_sent=0, bytes_received=0)
            session.add(run)
            session.flush()
            return run.id

    def _finish_run(self, run_id: int, summary: SyncSummary, outcome: str) -> None:
        with self.database.write() as session:
            run = session.get(SyncRun, run_id)
            if run is None:
                return
            run.finished_at = utc_now()
            run.outcome = outcome
            run.pushed = summary.pushed
            run.pulled = summary.pulled
            run.conflicts = summary.conflicts
            run.rejected = summary.rejected
            run.bytes_sent = self.client.traffic.sent
            run.bytes_received = self.client.traffic.received
            run.error = summary.reason


def _since(start: Traffic, now: Traffic) -> Traffic:
    """What moved between two readings of the client's running totals."""
    return Traffic(sent=now.sent - start.sent, received=now.received - start.received,
                   seconds=now.seconds - start.seconds)
