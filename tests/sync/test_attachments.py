"""Files of records reach the server whole, once, through a bad link too."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import select

from relay_app.store.models import AttachmentUpload
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import photo_of_partner, stored_file


def test_a_records_photo_is_uploaded_once_and_whole(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    sha256 = photo_of_partner(relay, 600_000)

    summary = relay.sync()
    assert summary.in_sync and summary.files_uploaded == 1 and summary.files_pending == 0
    content = stored_file(central, sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == sha256
    with relay.services.database.read() as session:
        assert session.scalars(select(AttachmentUpload.done)).all() == [True]

    again = relay.sync()
    assert again.idle and again.files_uploaded == 0


def test_an_upload_over_a_cutting_link_resumes_from_the_servers_offset(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    size = 1_500_000
    sha256 = photo_of_partner(relay, size)
    faults = Faults(latency=0.002, bandwidth=2_000_000, cut_request=0.02, cut_response=0.1, seed=11)

    with FaultProxy(central.server.port, faults) as proxy:
        engine = relay.engine(server_url=proxy.url)
        summary = engine.sync()

    assert proxy.stats.requests_cut + proxy.stats.responses_cut > 0
    assert summary.files_uploaded == 1 and summary.files_failed == 0
    content = stored_file(central, sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == sha256
    # Resumed, not restarted: far less than sending the file again for every cut.
    assert proxy.stats.bytes_up < 3 * size
