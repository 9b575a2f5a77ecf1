"""A sync killed (SIGKILL) at seeded points, then run again, converges: nothing lost or doubled."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from relay_app.sync.credentials import STORE_VARIABLE
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.records import partner, photo_of_partner, stored_file

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 24
PER_ROUND = 25
PHOTO_BYTES = 600_000  # several upload chunks, so "uploading N" lands between two of them
CALLBACK_POINTS = ("pushing", "push_answered", "pushed", "uploading", "pulled")


def _kill_point(seed: int) -> list[str]:
    chosen = random.Random(seed)
    if seed % 3 == 2:  # anywhere, mid-request or mid-transaction
        return ["after", f"{chosen.uniform(0.02, 0.15):.2f}"]
    return [chosen.choice(CALLBACK_POINTS), str(chosen.randint(1, 3))]


def _sync_in_child(relay: Relay, central: Central, point: list[str]) -> int:
    result = subprocess.run(
        [sys.executable, "-m", "tests.sync.sync_child", str(relay.data_dir), central.url, *point],
        cwd=REPO,
        env={**os.environ, STORE_VARIABLE: "file"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, -signal.SIGKILL), result.stderr
    return result.returncode


def _server_state(central: Central) -> dict[str, tuple[int, str]]:
    """The server's partners: version and city (the photos' links are records of their own)."""
    with central.database.reading() as session:
        partners = session.scalars(select(Record).where(Record.kind == "partners"))
        return {row.id: (row.version, row.values["city"]) for row in partners}


@pytest.mark.slow
def test_a_sync_killed_at_any_point_converges_when_run_again(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    relay, other = make_relay("killed"), make_relay("other")
    for number in range(100):
        other.services.records("partners").create(partner(number, city="Dakar"))
    assert other.sync().in_sync

    service = relay.services.records("partners")
    edited: dict[str, str] = {}
    kills = 0
    photos: list[str] = []
    outcomes: list[tuple[list[str], int]] = []
    for round_number in range(ROUNDS):
        for number in range(PER_ROUND):
            service.create(partner(number, city=f"Round {round_number}"))
        photos.append(photo_of_partner(relay, PHOTO_BYTES))  # with its own partner
        # Edits of records from the round before, which may or may not have reached the server.
        for view in service.list(filters={"city": f"Round {round_number - 1}"}, limit=3):
            edited[view.id] = f"Edited in round {round_number}"
            service.update(view.id, {"city": edited[view.id]})
        point = _kill_point(round_number)
        code = _sync_in_child(relay, central, point)
        outcomes.append((point, code))
        kills += code == -signal.SIGKILL
    assert kills >= ROUNDS - 2, outcomes  # the points really were inside the sync

    assert relay.sync().in_sync
    assert other.sync().in_sync
    server = _server_state(central)
    local = {view.id: view.values["city"] for view in service.list()}
    assert len(server) == 100 + ROUNDS * (PER_ROUND + 1)
    assert {record_id: city for record_id, (_v, city) in server.items()} == local
    assert {view.id: view.values["city"] for view in other.services.records("partners").list()} == local
    # Applied exactly once: a replayed change never makes a new version. An edited record has
    # two versions, or one when its edit was folded into its create before either was sent.
    assert all(version == 1 or (record_id in edited and version == 2)
               for record_id, (version, _city) in server.items())
    assert relay.services.status().pending_changes == 0
    for sha256 in photos:  # every photo whole on the server, whatever chunk the kill cut
        content = stored_file(central, sha256)
        assert content is not None and hashlib.sha256(content).hexdigest() == sha256
