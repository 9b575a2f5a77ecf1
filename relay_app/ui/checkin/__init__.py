"""The forum check-in desk: find a participant, check them in, register walk-ins, export."""

from relay_app.ui.checkin.desk import CheckInDesk

__all__ = ["CheckInDesk"]
