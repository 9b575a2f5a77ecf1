"""A revoked laptop whose store is encrypted erases its participants the same way, and stays openable.

Through the real command line and a real central server on 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.services.outbox import device_identity
from relay_central.admin import revoke_device
from tests import factories
from tests.central.harness import Central
from tests.cli.conftest import Cli
from tests.security.conftest import PASSPHRASE, feed_stdin
from tests.sync.conftest import REGIONS


def test_an_encrypted_revoked_store_wipes_its_participants_and_keeps_its_key(
    cli: Cli, json_file, data_dir: Path, central: Central,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tried: an enrolled, encrypted store with a forum and a registration set aside by a restore;
    the server revokes it. `sync` says what was erased (exit 1); the store opens again with the
    same passphrase, holds the forum and no registration; set-aside copies are gone, the key file
    and the new backup are there."""
    assert cli("enroll", "--server", central.url, "--code", central.relay(REGIONS)).code == 0
    forum_id = cli("records", "add", "forums", "--json", json_file(factories.forum())).out.strip()
    assert cli("records", "add", "registrations", "--json",
               json_file(factories.registration(forum_id))).code == 0
    assert cli("sync").code == 0
    assert cli("db", "backup").code == 0
    assert cli("db", "restore", "--latest").code == 0  # a set-aside copy of the store
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    assert cli("security", "encrypt").code == 0
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    with open_services(resolve_paths(data_dir)) as services, services.database.read() as session:
        device_id = device_identity(session).device_id
    revoke_device(central.database, device_id)

    wiped = cli("sync")
    assert wiped.code == 1
    assert "(registrations: 1, check-ins: 0)" in wiped.err
    assert cli("records", "list", "registrations", "--json").json() == []
    assert [forum["id"] for forum in cli("records", "list", "forums", "--json").json()] == [forum_id]
    assert not any((data_dir / "set-aside").iterdir())
    backups = cli("db", "backups", "--json").json()
    assert [backup["reason"] for backup in backups] == ["wipe"]
    status = cli("security", "status", "--json")
    assert status.code == 0 and status.json()["encrypted"] is True
