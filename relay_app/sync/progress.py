"""What a sync reports while it runs, and what it did once it ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from relay_app.i18n import N_, ngettext


class Phase(StrEnum):
    CHECKING = "checking"
    PUSHING = "pushing"
    # A push answer arrived and is about to be stored (the step a crash test aims at).
    PUSH_ANSWERED = "push_answered"
    PUSHED = "pushed"
    UPLOADING = "uploading"
    DOWNLOADING = "downloading"
    # Between attempts of a step that failed (a cut link, a busy server): done is the coming
    # attempt, total the most there will be.
    RETRYING = "retrying"
    # The server asked (Retry-After) for a wait the run waits out: done is its seconds.
    WAITING = "waiting"
    PULLING = "pulling"
    PULLED = "pulled"
    DONE = "done"


PHASE_LABELS = {
    Phase.CHECKING: N_("Checking the server"),
    Phase.PUSHING: N_("Sending changes"),
    Phase.PUSH_ANSWERED: N_("Storing the server's receipt"),
    Phase.PUSHED: N_("Changes sent"),
    Phase.UPLOADING: N_("Sending files"),
    Phase.DOWNLOADING: N_("Receiving files"),
    Phase.RETRYING: N_("Connection trouble; trying again"),
    Phase.WAITING: N_("The server is busy; waiting as it asked"),
    Phase.PULLING: N_("Receiving changes"),
    Phase.PULLED: N_("Changes received"),
    Phase.DONE: N_("Done"),
}


@dataclass(frozen=True)
class SyncProgress:
    """One step of a sync. ``total`` is known for pushes (the outbox size), not for pulls.

    While files move, ``done`` counts their bytes (and ``total`` for downloads, the bytes expected).
    """

    phase: Phase
    done: int = 0
    total: int | None = None
    bytes_sent: int = 0
    bytes_received: int = 0


ProgressCallback = Callable[[SyncProgress], None]


def waiting_text(seconds: int) -> str:
    """The ``WAITING`` step in words, with the wait the server asked for."""
    return ngettext(
        "The server is busy and asked to wait {count} second; trying again then.",
        "The server is busy and asked to wait {count} seconds; trying again then.",
        seconds,
    ).format(count=seconds)



@dataclass
class SyncSummary:
    """The outcome of one sync run; ``in_sync`` is true only when nothing is left to exchange."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    pending: int = 0
    open_conflicts: int = 0
    # Files go after their records; a record is in sync even while its files are still uploading.
    files_uploaded: int = 0
    files_failed: int = 0
    files_pending: int = 0
    files_downloaded: int = 0
    # Files of links held here that are still missing after the run (not on the server yet, held
    # back by the data saver, or failed): the next sync fetches them.
    files_to_download: int = 0
    files_held_back: bool = False  # the data saver kept the files for a better link
    # Files (among ``files_pending``) the server opens no upload for now (413 ``upload_quota``),
    # and the bound it named (``max_daily_upload_bytes``, ``max_open_uploads``...).
    files_over_quota: int = 0
    upload_quota_limit: str | None = None
    # Set while pushes wait for the server's daily push quota to pass: the server's words.
    push_held: str | None = None
    # Own changes announced without values, fetched because this copy was older (protocol 2).
    fetched: int = 0
    idle: bool = False
    resynced: bool = False
    reason: str | None = None
    rejected_messages: list[str] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return self.reason is None and self.pending == 0 and self.open_conflicts == 0

    def upload_quota_note(self) -> str | None:
        """Why some files wait, when the server's upload bounds hold them back (one sentence)."""
        count = self.files_over_quota
        if not count:
            return None
        if self.upload_quota_limit in ("max_open_uploads", "max_open_upload_bytes"):
            return ngettext(
                "{count} file waits: the server takes no more unfinished uploads from this device "
                "for now; a later sync sends it.",
                "{count} files wait: the server takes no more unfinished uploads from this device "
                "for now; a later sync sends them.",
                count,
            ).format(count=count)
        return ngettext(
            "{count} file waits: the server's daily upload allowance for this device is used up; "
            "a later sync sends it.",
            "{count} files wait: the server's daily upload allowance for this device is used up; "
            "a later sync sends them.",
            count,
        ).format(count=count)

    def to_json(self) -> dict[str, Any]:
        return {
            "in_sync": self.in_sync,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
            "pending": self.pending,
            "open_conflicts": self.open_conflicts,
            "files_uploaded": self.files_uploaded,
            "files_failed": self.files_failed,
            "files_pending": self.files_pending,
            "files_downloaded": self.files_downloaded,
            "files_to_download": self.files_to_download,
            "files_held_back": self.files_held_back,
            "files_over_quota": self.files_over_quota,
            "upload_quota_limit": self.upload_quota_limit,
            "fetched": self.fetched,
            "idle": self.idle,
            "resynced": self.resynced,
            "reason": self.reason,
        }
