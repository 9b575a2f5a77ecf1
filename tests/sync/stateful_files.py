"""File links in the stateful sync test: the files people link, and what each relay holds of them.

A link (kind ``attachments``) syncs like a record; its bytes travel apart, by sha256. Each file
made here has its own content, so its sha256 traces the link it was made for, like the unique
values of the other fields.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from sqlalchemy import select

from relay_app.services.attachments import AttachmentStore
from relay_app.services.record_files import RecordFile, RecordFileService
from relay_app.store.models import Attachment
from relay_app.sync.connect import files_dir
from tests.sync.conftest import Relay

LINKS = "attachments"
# Roles a partner's file may have; each replaces the partner's earlier file of that role.
PARTNER_ROLES = ("logo", "poster")
MEDIA_TYPE = "image/png"


@dataclass(frozen=True)
class Linked:
    """A file a person linked: the new link, and the links of the same role it replaced."""

    link: RecordFile
    replaced: list[str]


def record_files(relay: Relay) -> RecordFileService:
    return RecordFileService(relay.services.database, AttachmentStore(files_dir(relay.data_dir)), None)


def file_content(label: str, size: int) -> bytes:
    """Bytes of ``size`` that only ``label`` makes: a replayed run links the very same files."""
    return random.Random(label).randbytes(size)


def link_file(
    relay: Relay, owner_id: str, role: str, content: bytes, caption: str | None
) -> Linked:
    files = record_files(relay)
    before = {item.id for item in files.list("partners", owner_id, role)}
    stored = files.store.put_bytes(content)
    link = files.link("partners", owner_id, role, stored, MEDIA_TYPE, caption=caption)
    after = {item.id for item in files.list("partners", owner_id, role)}
    return Linked(link, sorted(before - after))


def local_links(relay: Relay) -> dict[str, Attachment]:
    """Every link the relay holds, removed ones included, by id."""
    with relay.services.database.read() as session:
        rows = {row.id: row for row in session.scalars(select(Attachment))}
        session.expunge_all()
    return rows


def live_link_ids(relay: Relay) -> list[str]:
    return sorted(link_id for link_id, row in local_links(relay).items() if not row.deleted)


def removed_link_ids(relay: Relay) -> list[str]:
    return sorted(link_id for link_id, row in local_links(relay).items() if row.deleted)


def files_not_held(relay: Relay, expected: dict[str, int]) -> list[str]:
    """The sha256s of ``expected`` (sha256 -> size) whose bytes this relay lacks or holds wrong."""
    folder = files_dir(relay.data_dir)
    wrong: list[str] = []
    for sha256, size in sorted(expected.items()):
        path = folder / sha256
        content = path.read_bytes() if path.is_file() else b""
        if len(content) != size or hashlib.sha256(content).hexdigest() != sha256:
            wrong.append(sha256)
    return wrong
