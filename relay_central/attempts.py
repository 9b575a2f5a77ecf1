"""Failed enrolment attempts per client address, counted over a sliding minute, in memory.

Enrolment codes are long enough that guessing one is hopeless; the limit keeps it that way and keeps
a misbehaving client from loading the database. The count lives in the server process only: a
restart forgets it, and several server processes would each count their own.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
# Addresses whose failures have all left the window are dropped once this many are tracked.
_SWEEP_ABOVE = 10_000


class AttemptLimiter:
    """At most ``limit`` failed attempts per address within any ``window`` seconds."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, address: str) -> int:
        """How long ``address`` must wait before its next attempt (0: it may try now)."""
        with self._lock:
            failures = self._recent(address, self._clock())
            if len(failures) < self.limit:
                return 0
            # The window slides: one more attempt is allowed when the oldest failure leaves it.
            return max(1, math.ceil(failures[0] + self.window - self._clock()))

    def failed(self, address: str) -> None:
        with self._lock:
            now = self._clock()
            self._recent(address, now)
            self._failures.setdefault(address, deque()).append(now)
            if len(self._failures) > _SWEEP_ABOVE:
                for known in list(self._failures):
                    if not self._recent(known, now):
                        del self._failures[known]

    def _recent(self, address: str, now: float) -> deque[float]:
        """The address's failures still inside the window (the older ones are forgotten)."""
        failures = self._failures.get(address, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures
