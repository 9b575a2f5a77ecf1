"""Valid records to create on a relay (the values a person would type)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFileService
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
    """A partner's poster as a person adds it: the bytes kept by their sha256 and a link that
    syncs (the server serves a file only to devices that read a live link naming it)."""
    owner = relay.services.records("partners").create(partner(1)).id
    files = RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)), None)
    stored = files.store.put_bytes(os.urandom(size))
    files.link("partners", owner, "poster", stored, "image/jpeg", filename="parcelle.jpg")
    return stored.sha256


def stored_file(central: Central, sha256: str) -> bytes | None:
    """The bytes the server stored under ``sha256``, read from its disk: a photo made by
    ``photo_of_partner`` has no link on the server, and a file no link names is not served."""
    path = blob_path(central.settings, sha256)
    return path.read_bytes() if path.is_file() else None
