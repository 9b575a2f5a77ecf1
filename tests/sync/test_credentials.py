"""The device token's file store: private to its owner, one token per server."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from relay_app.sync.credentials import TokenStore


def test_tokens_are_kept_per_server_in_a_private_file(tmp_path: Path) -> None:
    store = TokenStore(tmp_path, backend="file")
    assert store.backend == "file" and store.load("https://central.example.org") is None

    store.save("https://central.example.org", "first-token")
    store.save("http://127.0.0.1:8470", "second-token")
    store.save("https://central.example.org", "renewed-token")

    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    reopened = TokenStore(tmp_path, backend="file")
    assert reopened.load("https://central.example.org") == "renewed-token"
    assert reopened.load("http://127.0.0.1:8470") == "second-token"

    reopened.forget("http://127.0.0.1:8470")
    assert TokenStore(tmp_path, backend="file").load("http://127.0.0.1:8470") is None
    assert not list(tmp_path.glob("*.tmp"))
