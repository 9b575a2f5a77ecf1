"""What a sync reports while it runs, and what it did once it ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from relay_app.i18n import N_


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
    # Own changes announced without values, fetched because this copy was older (protocol 2).
    fetched: int = 0
    idle: bool = False
    resynced: bool = False
    reason: str | None = None
    rejected_messages: list[str] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return self.reason is None and self.pending == 0 and self.open_conflicts == 0

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
            "fetched": self.fetched,
            "idle": self.idle,
            "resynced": self.resynced,
            "reason": self.reason,
        }
