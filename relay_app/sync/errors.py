"""Why a sync stopped, as one translated line a person can act on."""

from __future__ import annotations

from relay_app.i18n import _
from relay_app.services.errors import ServiceError
from relay_app.sync.progress import SyncSummary


class SyncError(ServiceError):
    """A sync that cannot go on. ``code`` is the server's stable error code when there is one.

    ``summary`` is what the run did before it stopped (set by the engine).
    """

    def __init__(self, message: str, *, code: str = "sync_failed", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.summary: SyncSummary | None = None


class Offline(SyncError):
    """The server could not be reached or stopped answering; everything local is kept."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The server could not be reached ({detail}); your changes are kept.").format(detail=detail),
            code="offline",
        )


class Cancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(_("The sync was stopped; nothing was lost."), code="cancelled")


class NotEnrolled(SyncError):
    def __init__(self) -> None:
        super().__init__(
            _("This device is not enrolled; run “relay-app enroll --server URL --code CODE” first."),
            code="not_enrolled",
        )


class OtherServer(SyncError):
    """The address given leads to a server other than the one this device is enrolled with."""

    def __init__(self, enrolled_url: str, url: str) -> None:
        super().__init__(
            _("This device is enrolled with the server at {enrolled}; {url} leads to a different "
              "server, so nothing was sent or changed. To sync with that server, enrol with a code "
              "from its coordinator.").format(enrolled=enrolled_url, url=url),
            code="other_server",
        )
