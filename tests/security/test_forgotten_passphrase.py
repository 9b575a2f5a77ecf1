"""A forgotten passphrase: the store is set aside whole and rebuilt from a real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.central.harness import Central
from tests.cli.conftest import Cli
from tests.security.conftest import PARTNER, PASSPHRASE, feed_stdin, folder_hashes
from tests.sync.conftest import REGIONS

UNSENT = {**PARTNER, "name": "Jamais envoyee"}


def _encrypted_with_one_synced_partner(
    cli: Cli, json_file, central: Central, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> str:
    """An enrolled store holding one partner the server has too, then encrypted; the partner's id."""
    assert cli("enroll", "--server", central.url, "--code", central.relay(REGIONS)).code == 0
    synced_id = cli("records", "add", "partners", "--json", json_file(PARTNER)).out.strip()
    assert cli("sync").code == 0
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    assert cli("security", "encrypt").code == 0
    return synced_id


def test_the_store_is_set_aside_and_rebuilt_from_what_was_synced(
    cli: Cli, json_file, data_dir: Path, central: Central, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    synced_id = _encrypted_with_one_synced_partner(cli, json_file, central, monkeypatch)
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    assert cli("records", "add", "partners", "--json", json_file(UNSENT)).code == 0  # never synced
    assert cli("db", "backup").code == 0
    assert cli("db", "restore", "--latest").code == 0  # leaves a set-aside copy, under the old key
    old_device = cli("status", "--json").json()["device_id"]
    monkeypatch.delenv("RELAY_PASSPHRASE")
    old_files = folder_hashes(data_dir)

    # Without a terminal nothing happens unless --yes says so.
    feed_stdin(monkeypatch, "new passphrase\n")
    refused = cli("security", "reset", "--from-server", "--server", central.url, "--code", "unused")
    assert refused.code == 1 and "nothing was changed" in refused.err
    assert folder_hashes(data_dir) == old_files

    feed_stdin(monkeypatch, "new passphrase\n")
    rebuilt = cli("security", "reset", "--from-server", "--server", central.url,
                  "--code", central.relay(REGIONS), "--yes")
    assert rebuilt.code == 0, rebuilt.err
    assert "changes not sent to the server, if any, are lost" in rebuilt.out
    assert "1 record received from the server" in rebuilt.out

    monkeypatch.setenv("RELAY_PASSPHRASE", "new passphrase")
    listed = cli("records", "list", "partners", "--json").json()
    assert [record["id"] for record in listed] == [synced_id]  # the unsent one is gone, as announced
    status = cli("status", "--json").json()
    assert status["device_id"] != old_device and status["pending_changes"] == 0
    assert cli("security", "status", "--json").json()["encrypted"] is True

    # The old store is kept whole and untouched, and still opens with its own passphrase.
    (kept,) = (data_dir / "set-aside").glob("forgotten-*")
    moved = folder_hashes(kept)
    assert moved["relay.sqlite3"] == old_files["relay.sqlite3"]
    assert moved["store-key.json"] == old_files["store-key.json"]
    assert len([name for name in moved if name.startswith("set-aside/") and name.endswith(".sqlite3")]) == 1
    assert [path.name for path in (data_dir / "set-aside").iterdir()] == [kept.name]
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    old = cli("records", "list", "partners", "--json", data=kept).json()
    assert sorted(record["name"] for record in old) == sorted([PARTNER["name"], UNSENT["name"]])


def test_a_store_whose_key_files_are_both_lost_is_rebuilt_the_same_way(
    cli: Cli, json_file, data_dir: Path, central: Central, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    synced_id = _encrypted_with_one_synced_partner(cli, json_file, central, monkeypatch)
    (data_dir / "store-key.json").unlink()
    (data_dir / "backups" / "store-key.json").unlink()

    feed_stdin(monkeypatch, "new passphrase\n")
    rebuilt = cli("security", "reset", "--from-server", "--server", central.url,
                  "--code", central.relay(REGIONS), "--yes")
    assert rebuilt.code == 0, rebuilt.err
    monkeypatch.setenv("RELAY_PASSPHRASE", "new passphrase")
    assert [r["id"] for r in cli("records", "list", "partners", "--json").json()] == [synced_id]
