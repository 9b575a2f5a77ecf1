"""What a registration's scans say: is the person in, since when, and which entries repeat.

The check-in log only grows (``relay_app.store.models.CheckIn``): an entry or an exit at a desk, or
a scan cancelling an earlier one (an undo). Every desk derives the same answer from the same
scans, whatever order they arrived in, so two laptops that synced show the same head-count.

- A scan named by a cancelling scan does not count.
- The remaining entries and exits, in time order (then by id, so ties are settled alike
  everywhere), make stays: an entry opens one, an exit closes it.
- An entry while a stay is open is a double entry (the same person admitted at two desks): the
  person counts once, and the later entry is kept for a person to look at.
- A forum lasting several days admits once a day: only the scans of the day asked about count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

ENTRY = "entry"
EXIT = "exit"
CANCEL = "cancel"


@dataclass(frozen=True)
class Scan:
    """One row of the check-in log, as plain data."""

    id: str
    registration_id: str
    device_id: str
    device_name: str
    scanned_at: datetime
    direction: str
    cancels: str | None
    offline: bool

    def local_day(self) -> date:
        return self.scanned_at.astimezone().date()


@dataclass(frozen=True)
class DoubleEntry:
    """``repeat`` admitted someone already admitted by ``first``, with no exit in between."""

    first: Scan
    repeat: Scan


@dataclass(frozen=True)
class Presence:
    """A registration's state as its scans tell it."""

    inside: bool
    arrival: Scan | None  # the entry that opened the current stay
    open_entries: tuple[Scan, ...]  # every entry of the current stay (an undo cancels them)
    double_entries: tuple[DoubleEntry, ...]

    @property
    def arrived_at(self) -> datetime | None:
        return self.arrival.scanned_at if self.arrival is not None else None


NOBODY = Presence(inside=False, arrival=None, open_entries=(), double_entries=())


def presence(scans: Iterable[Scan], day: date | None = None) -> Presence:
    """The state the scans give; with ``day``, from that day's scans only (multi-day forums)."""
    scans = list(scans)
    cancelled = {scan.cancels for scan in scans if scan.direction == CANCEL and scan.cancels}
    counted = sorted(
        (
            scan for scan in scans
            if scan.direction in (ENTRY, EXIT) and scan.id not in cancelled
            and (day is None or scan.local_day() == day)
        ),
        key=lambda scan: (scan.scanned_at, scan.id),
    )
    stay: list[Scan] = []
    doubles: list[DoubleEntry] = []
    for scan in counted:
        if scan.direction == EXIT:
            stay = []
        elif stay:
            doubles.append(DoubleEntry(first=stay[0], repeat=scan))
            stay.append(scan)
        else:
            stay = [scan]
    if not stay and not doubles:
        return NOBODY
    return Presence(
        inside=bool(stay),
        arrival=stay[0] if stay else None,
        open_entries=tuple(stay),
        double_entries=tuple(doubles),
    )
