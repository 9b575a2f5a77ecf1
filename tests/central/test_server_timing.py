"""Every answer says how long the server itself worked on it, so clients can judge their link."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import requests

from relay_app.sync.client import server_seconds
from relay_app.sync.wire import API_PREFIX
from tests.central.harness import Central, new_id, partner

TRICKLE_SECONDS = 1.0


def test_answers_carry_the_servers_own_time(central: Central) -> None:
    for response in (
        requests.get(f"{central.url}/healthz", timeout=10),
        requests.get(f"{central.url}{API_PREFIX}/sync/meta", timeout=10),  # 401: no token
        requests.post(f"{central.url}{API_PREFIX}/sync/push", data=b"{}", timeout=10),  # refused
    ):
        timings = response.headers.get("Server-Timing", "")
        assert timings.startswith("app;dur="), response.headers
        # The server's own part of the exchange, never more than the whole of it as the client
        # timed it (to the answer's headers), however slow the machine.
        assert 0 <= server_seconds(response) <= response.elapsed.total_seconds()
        assert timings.count("app;") == 1


def test_a_body_still_on_its_way_is_the_links_time_not_the_servers(central: Central) -> None:
    """A push trickled up over a second: the server counts only what it did once the body arrived."""
    device = central.device(["western_europe"])
    body = json.dumps({
        "batch_id": uuid.uuid4().hex,
        "changes": [device.change("partners", new_id(), partner())],
    }).encode()
    halves = (body[: len(body) // 2], body[len(body) // 2:])

    def trickle() -> Iterator[bytes]:
        yield halves[0]
        time.sleep(TRICKLE_SECONDS)
        yield halves[1]

    started = time.monotonic()
    answer = requests.post(
        f"{central.url}{API_PREFIX}/sync/push", data=trickle(),
        headers=device.headers(**{"Content-Type": "application/json"}), timeout=30,
    )
    took = time.monotonic() - started
    assert answer.status_code == 200, answer.text
    assert took >= TRICKLE_SECONDS
    assert server_seconds(answer) < took - TRICKLE_SECONDS / 2
