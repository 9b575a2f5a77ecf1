"""Where the passphrase comes from: the keyring when remembered, else a prompt at a real terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.cli.conftest import Cli
from tests.security.conftest import PARTNER, PASSPHRASE, MemoryKeyring, feed_stdin

ROOT = Path(__file__).resolve().parents[2]


def test_a_remembered_key_opens_the_store_and_a_vanished_keyring_falls_back_to_asking(
    cli: Cli, json_file, os_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    assert cli("records", "add", "partners", "--json", json_file(PARTNER)).code == 0
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    assert cli("security", "encrypt", "--remember").code == 0
    assert len(os_keyring.values) == 1
    assert cli("security", "status", "--json").json()["remembered"] is True

    feed_stdin(monkeypatch, "")  # no terminal, no variable: the keyring alone opens it
    assert "Quetzalcoatlus" in cli("records", "list", "partners").out

    keyring.set_keyring(fail.Keyring())  # the keyring is gone (a frozen app, a headless session)
    asked = cli("records", "list", "partners")
    assert asked.code == 1 and "RELAY_PASSPHRASE" in asked.err
    monkeypatch.setenv("RELAY_PASSPHRASE", PASSPHRASE)
    assert "Quetzalcoatlus" in cli("records", "list", "partners").out

    keyring.set_keyring(os_keyring)
    monkeypatch.delenv("RELAY_PASSPHRASE")
    assert cli("security", "forget").code == 0
    assert os_keyring.values == {}
    assert cli("records", "list", "partners").code == 1


def _run_at_a_terminal(data_dir: Path, argv: list[str], typed: str) -> tuple[int, str]:
    """Run relay-app with a pseudo-terminal as its terminal; type ``typed`` when it asks."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RELAY_KEYRING": "off", "RELAY_LANG": "en"}
    env.pop("RELAY_PASSPHRASE", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "relay_app.cli.main", "--data-dir", str(data_dir), *argv],
        stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    typed_yet = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not typed_yet and b"Passphrase:" in seen:
            os.write(leader, typed.encode() + b"\n")
            typed_yet = True
        if child.poll() is not None and not ready:
            break
    os.close(leader)
    return child.wait(timeout=30), seen.decode("utf-8", "replace")


def test_at_a_terminal_the_passphrase_is_asked_without_echo(
    cli: Cli, json_file, data_dir: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    assert cli("records", "add", "partners", "--json", json_file(PARTNER)).code == 0
    feed_stdin(monkeypatch, PASSPHRASE + "\n")
    assert cli("security", "encrypt").code == 0

    code, screen = _run_at_a_terminal(data_dir, ["records", "list", "partners"], PASSPHRASE)
    assert code == 0, screen
    assert "Quetzalcoatlus" in screen and PASSPHRASE not in screen  # typed, not echoed

    code, screen = _run_at_a_terminal(data_dir, ["records", "list", "partners"], "wrong")
    assert code == 1 and "Error: wrong passphrase" in screen
