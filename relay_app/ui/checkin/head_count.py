"""The desk's head-count: arrivals against registrations, capacity, and places gone wrong or free.

The figures come from the services (the check-in log and the waiting-list rules); the desk only
adds the arrival it has just written itself, since recounting a forum at each scan would cost
more than the scan at a busy door.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QLabel

from relay_app.formatting import format_integer
from relay_app.i18n import _, ngettext
from relay_app.services.checkin import REGISTERED, AttendanceCounts, Attendee
from relay_app.ui.checkin.free_places import FreePlacesBar


class HeadCount:
    """The counter and capacity beside the forum, the over-capacity warning, the free places."""

    def __init__(self) -> None:
        self.counter = QLabel()
        self.counter.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.capacity = QLabel()
        # Shown only when the forum holds more registered people than places (two desks gave
        # the same place away offline): says by how many, and who came in last.
        self.over_capacity = QLabel()
        self.over_capacity.setWordWrap(True)
        self.over_capacity.setStyleSheet("color: #b00020; font-weight: bold;")
        self.over_capacity.hide()
        self.free_places = FreePlacesBar()
        self._counts: AttendanceCounts | None = None

    def show_counts(self, counts: AttendanceCounts | None) -> None:
        """Show a forum's counts as the services gave them (None: no forum chosen)."""
        self._counts = counts
        self._update()

    def count_arrival(self, before: Attendee, arrived: Attendee) -> None:
        """Add the person the desk has just checked in, if they were not in already."""
        counts = self._counts
        arrival = not before.checked_in and arrived.checked_in
        if counts is not None and arrival and arrived.status == REGISTERED:
            self._counts = replace(counts, checked_in=counts.checked_in + 1)
        self._update()

    def _update(self) -> None:
        counts = self._counts
        if counts is None:
            self.counter.setText("")
            self.capacity.setText("")
            self.free_places.show_counts(None)
            return
        if counts.waitlisted:
            counter = ngettext(
                "{checked} of {total} checked in · {waiting} waiting",
                "{checked} of {total} checked in · {waiting} waiting",
                counts.checked_in,  # the words that agree with a number agree with the arrivals
            )
        else:
            counter = ngettext(
                "{checked} of {total} checked in", "{checked} of {total} checked in",
                counts.checked_in,
            )
        self.counter.setText(
            counter.format(
                checked=format_integer(counts.checked_in), total=format_integer(counts.registered),
                waiting=format_integer(counts.waitlisted),
            )
        )
        self.capacity.setText(
            "" if counts.capacity is None
            else _("Capacity: {capacity}").format(capacity=format_integer(counts.capacity))
        )
        waiting = ngettext(
            "{count} on the waiting list", "{count} on the waiting list", counts.waitlisted
        ).format(count=format_integer(counts.waitlisted))
        self.counter.setToolTip(waiting)
        if counts.over_capacity:
            self.over_capacity.setText(
                _(
                    "Over capacity: {registered} registered for a capacity of {capacity} "
                    "(over by {count}). Registered last: {names}"
                ).format(
                    count=format_integer(counts.over_capacity),
                    registered=format_integer(counts.registered),
                    capacity=format_integer(counts.capacity or 0),
                    names=", ".join(counts.beyond_capacity),
                )
            )
        self.over_capacity.setVisible(bool(counts.over_capacity))
        self.free_places.show_counts(counts)

    def retranslate_ui(self) -> None:
        self.counter.setAccessibleName(_("Checked in"))
        self.over_capacity.setAccessibleName(_("Over capacity"))
        self._update()
