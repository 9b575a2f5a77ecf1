"""Push answers are matched to the changes sent by (seq, kind, id), never by position.

A real HTTP server on 127.0.0.1 stands between the relay and the real central server and rewrites
the push answers: their results reordered, naming other seqs, another record, one result missing,
one twice. A reordered answer still settles each change by its own receipt; any other mismatch is
refused whole, and the outbox stays exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from relay_app.cli.main import main
from relay_app.store.models import PendingChange
from relay_app.sync.credentials import TokenStore
from relay_app.sync.errors import SyncError
from relay_central.models import Record
from tests.central.harness import Central
from tests.sync.conftest import Relay
from tests.sync.local_http import LocalHttpServer, Reply, Request, forwarding
from tests.sync.records import partner

Results = list[dict[str, Any]]


def _rewriting_push(change: Callable[[Results], Results]) -> Callable[[Request, Reply], Reply]:
    def rewrite(request: Request, reply: Reply) -> Reply:
        if not request.path.endswith("/sync/push") or reply.status != 200:
            return reply
        answer = json.loads(reply.body)
        answer["results"] = change(answer["results"])
        return Reply(reply.status, json.dumps(answer).encode(), reply.headers)

    return rewrite


def _outbox(relay: Relay) -> list[tuple[Any, ...]]:
    """Everything a person's pending change is made of (``sent_seq`` is the sync's own note)."""
    with relay.services.database.read() as session:
        return [
            (entry.kind, entry.record_id, entry.seq, entry.op, sorted(entry.fields or ()),
             entry.attempts, entry.last_error, entry.next_attempt_at)
            for entry in session.scalars(select(PendingChange).order_by(PendingChange.seq))
        ]


def _local_state(relay: Relay, ids: list[str]) -> list[tuple[Any, ...]]:
    service = relay.services.records("partners")
    return [(view.base_version, sorted(view.dirty_fields or ())) for view in map(service.get, ids)]


def _server_versions(central: Central) -> dict[str, int]:
    with central.database.reading() as session:
        return {record.id: record.version for record in session.scalars(select(Record))}


def test_a_reordered_answer_settles_each_change_by_its_own_receipt(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    """The server refuses the first change and applies the two others; the answer arrives rotated
    by one, so by position the refused change would be taken as applied (and leave the outbox,
    lost) while an applied one would be kept as refused."""
    relay = make_relay(regions=["western_europe"])
    service = relay.services.records("partners")
    refused = service.create(partner(1, country="BR", region="latin_america_caribbean")).id
    accepted = [service.create(partner(number)).id for number in (2, 3)]

    rotate = _rewriting_push(lambda results: results[1:] + results[:1])
    with LocalHttpServer(forwarding(central.url, rotate)) as proxy:
        summary = relay.sync(server_url=proxy.url)

    assert summary.pushed == 2 and summary.rejected == 1
    [entry] = _outbox(relay)
    assert entry[1] == refused and entry[5] == 1 and "region" in entry[6]
    assert service.get(refused).dirty_fields and service.get(refused).base_version is None
    assert [service.get(record_id).base_version for record_id in accepted] == [1, 1]
    assert set(_server_versions(central)) == set(accepted)


def _other_seqs(results: Results) -> Results:
    return [{**result, "seq": result["seq"] + 1000} for result in results]


def _other_record(results: Results) -> Results:
    return [{**results[0], "id": "00000000-0000-4000-8000-000000000000"}, *results[1:]]


def _one_missing(results: Results) -> Results:
    return results[:-1]


def _one_twice(results: Results) -> Results:
    return [results[0], results[0], *results[2:]]


@pytest.mark.parametrize("mangle", [_other_seqs, _other_record, _one_missing, _one_twice])
def test_an_answer_that_does_not_match_the_changes_sent_is_refused_whole(
    central: Central, make_relay: Callable[..., Relay], mangle: Callable[[Results], Results]
) -> None:
    """By position, these answers cleared the outbox (or part of it) although they speak of other
    changes. Now nothing of the answer is stored, the run stops with a message saying so, and the
    next run through a sound link settles the changes the server did apply, exactly once."""
    relay = make_relay()
    service = relay.services.records("partners")
    ids = [service.create(partner(number)).id for number in range(3)]
    outbox_before, local_before = _outbox(relay), _local_state(relay, ids)

    with (
        LocalHttpServer(forwarding(central.url, _rewriting_push(mangle))) as proxy,
        pytest.raises(SyncError) as refused,
    ):
        relay.sync(server_url=proxy.url)

    assert refused.value.code == "receipt_mismatch"
    assert "did not match" in str(refused.value) and "your changes are kept" in str(refused.value)
    assert _outbox(relay) == outbox_before
    assert _local_state(relay, ids) == local_before
    assert refused.value.summary is not None and refused.value.summary.pushed == 0

    summary = relay.sync()  # straight to the server: it answers with the receipts it remembers
    assert summary.in_sync and summary.pushed == 3
    assert _server_versions(central) == {record_id: 1 for record_id in ids}  # none applied twice


def test_the_command_line_says_the_answer_was_refused(
    central: Central, make_relay: Callable[..., Relay], capsys: pytest.CaptureFixture[str]
) -> None:
    relay = make_relay()
    relay.services.records("partners").create(partner(1))
    outbox_before = _outbox(relay)

    with LocalHttpServer(forwarding(central.url, _rewriting_push(_other_seqs))) as proxy:
        store = TokenStore(relay.data_dir)
        store.save(proxy.url, store.load(central.url) or "")
        capsys.readouterr()
        code = main(["--data-dir", str(Path(relay.data_dir)), "sync", "--server", proxy.url])
    err = capsys.readouterr().err

    assert code == 1
    assert "did not match the changes sent" in err and "your changes are kept" in err
    assert _outbox(relay) == outbox_before
