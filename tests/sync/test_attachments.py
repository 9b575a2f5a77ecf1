"""Files of records reach the server whole, once, through a bad link too."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable

import requests
from sqlalchemy import select

from relay_app.store.models import Attachment, AttachmentUpload
from relay_app.store.types import utc_now
from relay_app.sync.connect import files_dir
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import partner


def _photo(relay: Relay, size: int) -> str:
    """A photo of a partner, as the app keeps it: a row, and the bytes under their sha256."""
    content = os.urandom(size)
    sha256 = hashlib.sha256(content).hexdigest()
    folder = files_dir(relay.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / sha256).write_bytes(content)
    owner = relay.services.records("partners").create(partner(1)).id
    now = utc_now()
    with relay.services.database.write() as session:
        session.add(Attachment(
            id=str(uuid.uuid4()), created_at=now, updated_at=now, deleted=False, dirty_fields=[],
            owner_kind="partners", owner_id=owner, role="photo", sha256=sha256,
            media_type="image/jpeg", size=size, filename="parcelle.jpg",
        ))
    return sha256


def _download(central: Central, relay: Relay, sha256: str) -> bytes | None:
    from relay_app.sync.credentials import TokenStore

    token = TokenStore(relay.data_dir).load(central.url)
    answer = requests.get(f"{central.url}/api/v1/attachments/{sha256}",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    return answer.content if answer.status_code == 200 else None


def test_a_records_photo_is_uploaded_once_and_whole(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay = make_relay()
    sha256 = _photo(relay, 600_000)

    summary = relay.sync()
    assert summary.in_sync and summary.files_uploaded == 1 and summary.files_pending == 0
    content = _download(central, relay, sha256)
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
    sha256 = _photo(relay, size)
    faults = Faults(latency=0.002, bandwidth=2_000_000, cut_request=0.02, cut_response=0.1, seed=11)

    with FaultProxy(central.server.port, faults) as proxy:
        engine = relay.engine(server_url=proxy.url)
        summary = engine.sync()

    assert proxy.stats.requests_cut + proxy.stats.responses_cut > 0
    assert summary.files_uploaded == 1 and summary.files_failed == 0
    content = _download(central, relay, sha256)
    assert content is not None and hashlib.sha256(content).hexdigest() == sha256
    # Resumed, not restarted: far less than sending the file again for every cut.
    assert proxy.stats.bytes_up < 3 * size
