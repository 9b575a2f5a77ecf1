"""Batch sizes that follow the link: smaller after a timeout or a cut, larger after quick answers."""

from __future__ import annotations

from dataclasses import dataclass

# An answer faster than this means the link could carry more per request.
FAST_SECONDS = 2.0
# Slower than this, and the next batch is made smaller before the link times it out.
SLOW_SECONDS = 15.0


@dataclass
class AdaptiveBatch:
    size: int = 100
    minimum: int = 1
    maximum: int = 1000

    def __post_init__(self) -> None:
        self.size = max(self.minimum, min(self.size, self.maximum))

    def answered(self, seconds: float) -> None:
        if seconds < FAST_SECONDS:
            self.size = min(self.maximum, self.size * 2)
        elif seconds > SLOW_SECONDS:
            self.size = max(self.minimum, self.size // 2)

    def failed(self) -> None:
        self.size = max(self.minimum, self.size // 2)

    def limit_to(self, maximum: int) -> None:
        """Never more than the server takes (``max_batch_changes``)."""
        self.maximum = max(self.minimum, min(self.maximum, maximum))
        self.size = min(self.size, self.maximum)
