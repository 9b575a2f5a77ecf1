"""One signal for "records of this kind changed", so views refresh without calling each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataChanges(QObject):
    records_changed = Signal(str)  # the record kind
