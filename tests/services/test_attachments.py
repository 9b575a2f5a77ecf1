"""Content-addressed attachment files: named by sha256, stored once, written atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from relay_app.config import Paths
from relay_app.services.attachments import AttachmentStore


def test_bytes_are_stored_under_their_sha256(paths: Paths) -> None:
    store = AttachmentStore(paths.attachments)
    data = b"\x89PNG fake photo bytes"
    stored = store.put_bytes(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.path == paths.attachments / stored.sha256  # where the sync engine looks
    assert store.read(stored.sha256) == data
    assert store.has(stored.sha256) and store.verify(stored.sha256)
    assert not stored.already_stored


def test_identical_files_are_kept_once(paths: Paths, tmp_path: Path) -> None:
    store = AttachmentStore(paths.attachments)
    source = tmp_path / "poster.pdf"
    source.write_bytes(b"%PDF-1.4 poster" * 100_000)  # spans several read chunks
    first = store.put_file(source)
    second = store.put_file(source)
    third = store.put_bytes(source.read_bytes())
    assert first.sha256 == second.sha256 == third.sha256
    assert second.already_stored and third.already_stored
    files = [path for path in paths.attachments.rglob("*") if path.is_file()]
    assert files == [first.path]  # no duplicates, no temporary files left


def test_corruption_is_detected_and_bad_names_refused(paths: Paths) -> None:
    store = AttachmentStore(paths.attachments)
    stored = store.put_bytes(b"logo")
    stored.path.write_bytes(b"logo, damaged")
    assert not store.verify(stored.sha256)
    store.remove(stored.sha256)
    assert not store.has(stored.sha256)
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
