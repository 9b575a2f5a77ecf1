"""The data saver's judgement of the link, and a run over a good link that moves files itself.

What was tried: a link that is fast but a server that works slowly (a busy server is not a slow
link, so files move), a link throttled to 16 KiB/s (files wait, even though the server says how
long it worked), and `Server-Timing` values a broken or hostile server might send.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
import requests

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.sync.client import Traffic, server_seconds
from relay_app.sync.connect import files_dir
from relay_app.sync.data_saver import (
    GOOD_LINK_BYTES_PER_SECOND,
    MIN_MEASURED_BYTES,
    link_is_good,
    write_data_saver,
)
from relay_app.sync.progress import SyncSummary
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.local_http import LocalHttpServer, Reply, Request, forwarding
from tests.sync.records import partner

BUSY_SECONDS = 0.6  # what a slow server spends on each exchange: more than the whole run's bytes need


def test_a_link_is_good_only_when_enough_moved_fast_enough() -> None:
    enough = MIN_MEASURED_BYTES * 4
    fast = enough / GOOD_LINK_BYTES_PER_SECOND / 2
    slow = enough / GOOD_LINK_BYTES_PER_SECOND * 2
    assert link_is_good(Traffic(sent=enough // 2, received=enough // 2, seconds=fast))
    assert not link_is_good(Traffic(sent=enough // 2, received=enough // 2, seconds=slow))
    # Too little to tell, however quick: a lone small answer is mostly latency.
    assert not link_is_good(Traffic(sent=100, received=MIN_MEASURED_BYTES // 2, seconds=0.001))
    assert not link_is_good(Traffic())


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("app;dur=12.5", 0.0125),
        ('db;dur=3, app;desc="push";dur=40', 0.04),
        ("app;dur=0", 0.0),
        ("app;dur=-50", 0.0),  # a negative time is nobody's
        ("app;dur=nan", 0.0),
        ("app;dur=inf", 0.0),
        ("app;dur=twelve", 0.0),
        ("app", 0.0),
        ("db;dur=40", 0.0),  # another stage's time is not the server's whole work
        (";;;,,=,", 0.0),
        ("", 0.0),
    ],
)
def test_the_servers_own_time_is_read_from_server_timing(header: str, seconds: float) -> None:
    response = requests.Response()
    if header:
        response.headers["Server-Timing"] = header
    assert server_seconds(response) == pytest.approx(seconds)


def _relay_with_a_file(make_relay: Callable[..., Relay], records_count: int) -> Relay:
    relay = make_relay()
    write_data_saver(relay.services.database, True)
    records = relay.services.records("partners")
    owner = records.create(partner(0)).id
    for number in range(1, records_count):  # enough bytes for the run to judge the link
        records.create(partner(number, description=os.urandom(48).hex()))
    files = RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)),
                              None)
    files.link("partners", owner, "logo", files.store.put_bytes(os.urandom(20_000)), "image/png")
    return relay


def _files_moved(summary: SyncSummary) -> bool:
    assert summary.in_sync
    assert summary.bytes_sent + summary.bytes_received > MIN_MEASURED_BYTES
    return summary.files_uploaded == 1 and not summary.files_held_back


def test_with_the_data_saver_on_a_run_over_a_good_link_moves_files_too(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = _relay_with_a_file(make_relay, 300)
    summary = relay.sync()
    assert summary.pushed == 301
    assert _files_moved(summary)


def test_a_server_that_works_slowly_is_not_taken_for_a_slow_link(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    passing_on = forwarding(central.url)

    def busy(request: Request) -> Reply:
        """A server in front of the real one that works slowly, and says how long it worked:
        from the request to its answer, relaying included (all of it is the server's side)."""
        started = time.monotonic()
        reply = passing_on(request)
        if "/sync/" not in request.path:
            return reply
        time.sleep(BUSY_SECONDS)
        worked = time.monotonic() - started
        headers = {name: value for name, value in reply.headers.items()
                   if name.lower() != "server-timing"}
        return Reply(reply.status, reply.body,
                     {**headers, "Server-Timing": f"app;dur={worked * 1000:.1f}"})

    relay = _relay_with_a_file(make_relay, 100)
    with LocalHttpServer(busy) as server:
        summary = relay.sync(server_url=server.url)
    assert len([path for path in server.paths() if "/sync/" in path]) >= 2
    assert _files_moved(summary)


def test_a_throttled_link_keeps_files_for_later_whatever_the_server_worked(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = _relay_with_a_file(make_relay, 150)
    with FaultProxy(central.server.port, Faults(bandwidth=16 * 1024)) as proxy:
        summary = relay.sync(server_url=proxy.url)
    assert summary.pushed == 151  # the records and the file's link
    assert not _files_moved(summary) and summary.files_held_back


def test_a_server_claiming_more_time_than_the_call_took_is_not_believed(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """Tried: every answer says the server worked for a day. Believed, the calls would take no
    link time at all and any link would look good; the calls count whole instead."""
    def lying(request: Request, reply: Reply) -> Reply:
        headers = {name: value for name, value in reply.headers.items()
                   if name.lower() != "server-timing"}
        return Reply(reply.status, reply.body, {**headers, "Server-Timing": "app;dur=86400000"})

    relay = _relay_with_a_file(make_relay, 20)
    with LocalHttpServer(forwarding(central.url, lying)) as server:
        engine = relay.engine(server_url=server.url)
        assert engine.sync().in_sync
    assert engine.client.traffic.seconds > 0
