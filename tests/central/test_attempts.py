"""The enrolment limit's window slides: an address may try again as its oldest failure ages out."""

from __future__ import annotations

from relay_central.attempts import AttemptLimiter


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_count_per_address_within_a_sliding_minute() -> None:
    clock = Clock()
    limiter = AttemptLimiter(3, window=60, clock=clock)
    for offset in (0, 20, 40):
        clock.now = 1000 + offset
        assert limiter.wait_seconds("198.51.100.1") == 0
        limiter.failed("198.51.100.1")
    assert limiter.wait_seconds("198.51.100.1") == 20  # the first failure leaves at 1060
    assert limiter.wait_seconds("198.51.100.2") == 0  # another address is not affected

    clock.now = 1060
    assert limiter.wait_seconds("198.51.100.1") == 0  # one slot free again, not three
    limiter.failed("198.51.100.1")
    assert limiter.wait_seconds("198.51.100.1") == 20

    clock.now = 1200
    assert limiter.wait_seconds("198.51.100.1") == 0
