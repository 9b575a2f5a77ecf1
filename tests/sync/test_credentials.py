"""The device token's file store: private to its owner, one token per server."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from relay_app.sync.credentials import TokenStore, token_key


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


def test_a_token_is_found_under_its_server_id_or_where_an_older_version_kept_it(
    tmp_path: Path,
) -> None:
    store = TokenStore(tmp_path, backend="file")
    store.save("http://127.0.0.1:8470", "kept-by-an-older-version")
    assert store.find(None, "http://127.0.0.1:8470") == "kept-by-an-older-version"
    assert store.find("3f0c9e4b", "http://127.0.0.1:8470") == "kept-by-an-older-version"

    store.save(token_key("3f0c9e4b", "https://relay.example.org"), "by-id")
    # Any address of that server finds it; the id wins over an address's old entry.
    assert store.find("3f0c9e4b", "https://relay.example.org") == "by-id"
    assert store.find("3f0c9e4b", "http://127.0.0.1:8470") == "by-id"
    assert store.find("another", "https://relay.example.org") is None
