"""Why a sync stopped, as one translated line a person can act on."""

from __future__ import annotations

from datetime import datetime, timedelta

from relay_app.formatting import format_datetime
from relay_app.i18n import _, ngettext
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


class ServerTrouble(SyncError):
    """The server, or the way to it, cannot answer usefully now: every further request of the run
    would fail alike, so the run stops here (a file transfer does not go on to the next file)."""


class Offline(ServerTrouble):
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


class CaptivePortal(ServerTrouble):
    """A web page (or a redirect to one) came back instead of the server's answer: a network
    that wants a sign-in first (hotel or airport Wi-Fi). Asking again cannot help until then."""

    def __init__(self) -> None:
        super().__init__(
            _("The network answered with a web page instead of the server: sign in to the Wi-Fi first "
              "(open any web page in a browser), then sync again. Your changes are kept."),
            code="captive_portal",
        )


class DamagedAnswer(ServerTrouble):
    """A complete answer that is not JSON: the server (or something on the way) sent it so."""

    def __init__(self) -> None:
        super().__init__(
            _("The server's answer arrived cut off or damaged and was not used; your changes are kept. "
              "If this happens again, tell the server's administrator."),
            code="damaged_answer",
        )


class ServerFailed(ServerTrouble):
    """The server answered with an internal error (500 and the like): a fault on its side."""

    def __init__(self, status: int) -> None:
        super().__init__(
            _("The server failed (HTTP {status}); your changes are kept. Try again later; if it "
              "keeps failing, tell the server's administrator.").format(status=status),
            code="server_failed",
            status=status,
        )


class ServerUnavailable(ServerTrouble):
    """The server (or its gateway) kept answering that it is busy or down, try after try."""

    def __init__(self, status: int) -> None:
        super().__init__(
            _("The server is busy or unavailable (HTTP {status}) and stayed so after several tries; "
              "your changes are kept. Try again later.").format(status=status),
            code="server_unavailable",
            status=status,
        )


class ServerAsksToWait(ServerTrouble):
    """The server (or its gateway) asked, with Retry-After, for a longer wait than a run waits
    out: the run ends and says when asking again makes sense."""

    def __init__(self, seconds: float, now: datetime) -> None:
        super().__init__(
            _("The server is busy and asked this device to wait {duration} before asking again; "
              "your changes are kept. Sync again after {time}.").format(
                duration=wait_duration(seconds),
                time=format_datetime(now + timedelta(seconds=seconds), "short"),
            ),
            code="server_asks_to_wait",
        )
        self.seconds = seconds


def wait_duration(seconds: float) -> str:
    """A wait in the unit a person thinks of it in: seconds, minutes, or hours."""
    whole = max(1, round(seconds))
    if whole < 120:
        return ngettext("{count} second", "{count} seconds", whole).format(count=whole)
    minutes = round(whole / 60)
    if minutes < 120:
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    hours = round(whole / 3600)
    return ngettext("{count} hour", "{count} hours", hours).format(count=hours)


class PushQuotaReached(SyncError):
    """The server takes no more pushes from this device today (429 ``push_quota``): the changes
    stay in the outbox and go once ``retry_after`` seconds have passed."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(
            message or _("This device has sent as much as the server takes in one day. Its other "
                         "changes stay on it and are sent after midnight (UTC)."),
            code="push_quota",
            status=429,
        )
        self.retry_after = retry_after


class UploadQuotaReached(SyncError):
    """The server opens no more uploads for this device now (413 ``upload_quota``); ``limit``
    names the bound reached, as ``meta`` reports it under ``limits``."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message, code="upload_quota", status=413)
        self.limit = limit


class ReceiptMismatch(SyncError):
    """A push answer whose results do not name exactly the changes sent: none of it is stored."""

    def __init__(self) -> None:
        super().__init__(
            _("The server's answer did not match the changes sent, so it was refused; your changes are "
              "kept and go out again with the next sync. If this happens again, tell the server's "
              "administrator."),
            code="receipt_mismatch",
        )


class OtherServer(SyncError):
    """The address given leads to a server other than the one this device is enrolled with."""

    def __init__(self, enrolled_url: str, url: str) -> None:
        if url == enrolled_url:  # the enrolled address itself now leads elsewhere
            message = _("The server at {url} is no longer the one this device is enrolled with "
                        "(it answers as a different server), so nothing was sent or changed. If "
                        "the server was replaced, enrol again with a code from its "
                        "coordinator.").format(url=url)
        else:
            message = _("This device is enrolled with the server at {enrolled}; {url} leads to a "
                        "different server, so nothing was sent or changed. To sync with that "
                        "server, enrol with a code from its coordinator.").format(
                            enrolled=enrolled_url, url=url)
        super().__init__(message, code="other_server")


class DeviceWiped(SyncError):
    """The server answered that this device was revoked, and its personal data was erased."""

    def __init__(self, registrations: int, checkins: int) -> None:
        super().__init__(
            _(
                "The coordinator revoked this computer's access to the server. The participants' "
                "personal data on it was erased (registrations: {registrations}, check-ins: {checkins}), "
                "with its backups and the access token. Partners, practices and forums are kept. "
                "Ask your coordinator for a new enrolment code to sync again."
            ).format(registrations=registrations, checkins=checkins),
            code="device_wiped",
            status=401,
        )
