"""The data saver's judgement of the link, and a run over a good link that moves files itself."""

from __future__ import annotations

import os
from collections.abc import Callable

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
from relay_app.sync.client import Traffic
from relay_app.sync.connect import files_dir
from relay_app.sync.data_saver import (
    GOOD_LINK_BYTES_PER_SECOND,
    MIN_MEASURED_BYTES,
    link_is_good,
    write_data_saver,
)
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner


def test_a_link_is_good_only_when_enough_moved_fast_enough() -> None:
    enough = MIN_MEASURED_BYTES * 4
    fast = enough / GOOD_LINK_BYTES_PER_SECOND / 2
    slow = enough / GOOD_LINK_BYTES_PER_SECOND * 2
    assert link_is_good(Traffic(sent=enough // 2, received=enough // 2, seconds=fast))
    assert not link_is_good(Traffic(sent=enough // 2, received=enough // 2, seconds=slow))
    # Too little to tell, however quick: a lone small answer is mostly latency.
    assert not link_is_good(Traffic(sent=100, received=MIN_MEASURED_BYTES // 2, seconds=0.001))
    assert not link_is_good(Traffic())


def test_with_the_data_saver_on_a_run_over_a_good_link_moves_files_too(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    write_data_saver(relay.services.database, True)
    records = relay.services.records("partners")
    owner = records.create(partner(0)).id
    for number in range(1, 300):  # enough bytes for the run to judge the link (loopback: fast)
        records.create(partner(number, description=os.urandom(48).hex()))
    files = RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)),
                              None)
    files.link("partners", owner, "logo", files.store.put_bytes(os.urandom(20_000)), "image/png")

    summary = relay.sync()
    assert summary.in_sync and summary.pushed == 301
    assert summary.bytes_sent + summary.bytes_received > MIN_MEASURED_BYTES
    assert summary.files_uploaded == 1 and not summary.files_held_back
