"""Valid records to create on a relay (the values a person would type)."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import TYPE_CHECKING, Any

from relay_app.store.models import Attachment
from relay_app.store.types import utc_now
from relay_app.sync.connect import files_dir
from relay_central.blobs import blob_path

if TYPE_CHECKING:
    from tests.central.harness import Central
    from tests.sync.conftest import Relay


def partner(number: int, **changes: Any) -> dict[str, Any]:
    values = {
        "name": f"Coopérative agricole n°{number}",
        "kind": "member",
        "college": "research_education",
        "country": "FR",
        "region": "western_europe",
        "city": "Montpellier",
    }
    return {**values, **changes}


def forum(**changes: Any) -> dict[str, Any]:
    values = {
        "name": "Forum of the 4 per 1000 Initiative",
        "region": "western_europe",
        "city": "Montpellier",
        "start_date": "2026-06-01",
        "end_date": "2026-06-03",
        "capacity": 120,
    }
    return {**values, **changes}


def registration(forum_id: str, **changes: Any) -> dict[str, Any]:
    values = {
        "forum_id": forum_id,
        "first_name": "Awa",
        "last_name": "Diop",
        "role": "farmer",
        "consent": True,
    }
    return {**values, **changes}


def photo_of_partner(relay: Relay, size: int) -> str:
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


def stored_file(central: Central, sha256: str) -> bytes | None:
    """The bytes the server stored under ``sha256``, read from its disk: a photo made by
    ``photo_of_partner`` has no link on the server, and a file no link names is not served."""
    path = blob_path(central.settings, sha256)
    return path.read_bytes() if path.is_file() else None
