"""Relays editing the same partners offline in random orders, syncing over good and cutting links.

A hypothesis state machine drives two or three relays (each a real SQLite data dir) enrolled with
one real central server on 127.0.0.1. Each step is a person's action on one relay (create, edit,
clear, delete a partner; link a file to a partner, caption it, unlink it, undo the unlink; settle
a conflict) or a sync, direct or through the fault proxy with seeded cuts. Every value written is
unique (every linked file has its own bytes, so its sha256 too), so the server's version history
tells whether it arrived. File links (kind ``attachments``) are records like partners: everything
below holds for both. What must always hold:

- after each completed sync, every value the relay wrote before it is in the server's history of
  that field or is kept in a conflict for a person to decide (nothing lost silently);
- the server's history is whole: versions 1..n per record, each made by a change the server
  remembers answering for the device that made it (nothing applied twice, nothing unaccounted);
- a value, once replaced on the server, never comes back (no stale replay);
- after a final quiet round of syncs, every relay holds exactly the server's live records with the
  server's values and versions, no relay holds a deleted record, and nothing is left to exchange;
- then every relay also holds the bytes of every live link, whole (its sha256), in its files
  folder. Deleting a partner removes its live links with it (`RecordService.delete`); a link
  restored on its own, or one another relay made meanwhile, may still name a deleted partner: the
  server accepts links to an owner it holds as a tombstone (`relay_central/push.py` ``_refusal``)
  and every live link's file is downloaded (`relay_app/sync/downloads.py` ``wanted_files``).

The run is derandomized: a failure replays identically, and hypothesis prints the steps.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from relay_app.store.models import Partner, PendingChange, SyncedRecord
from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.client import SyncClient
from relay_app.sync.conflicts import ConflictService
from relay_app.sync.connect import files_dir
from relay_app.sync.engine import RetrySchedule, SyncEngine
from relay_app.sync.errors import SyncError
from relay_app.sync.progress import SyncSummary
from relay_app.sync.values import wire_values
from relay_app.sync.wire import DELETED_FIELD
from relay_central.db import Database as CentralDatabase
from relay_central.models import AppliedChange, Record, RecordVersion
from relay_central.settings import load_settings
from tests.central.harness import Central, RunningServer
from tests.sync.conftest import Relay, RelayFactory
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import partner
from tests.sync.stateful_files import (
    LINKS,
    PARTNER_ROLES,
    file_content,
    files_not_held,
    link_file,
    live_link_ids,
    local_links,
    record_files,
    removed_link_ids,
)

KIND = "partners"
# Free-text fields a person edits; every value written to them is unique in the run.
EDITABLE = ("city", "acronym", "description", "interests")
# Per kind, the fields whose values the server's history must never bring back once replaced.
TRACED = {KIND: EDITABLE, LINKS: ("caption",)}
# A few KB per file: uploads and downloads run for real, and the run stays fast.
FILE_SIZES = st.integers(min_value=512, max_value=4096)
# Loopback answers in milliseconds: short waits keep the run fast; many attempts ride out cuts.
QUICK_RETRIES = RetrySchedule(attempts=40, first_wait=0.01, longest_wait=0.05)
# Records are picked by position in id order, the same on every relay: a few positions make
# relays work on the same records, which is where merges and conflicts happen.
PICK = st.integers(0, 3)
SETTINGS = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Written:
    """A value a relay wrote to one field of one record, at step ``step`` of the run."""

    record_id: str
    field: str
    value: Any
    step: int


class Ledger:
    """What each relay wrote and has not yet had confirmed by a completed sync."""

    def __init__(self) -> None:
        self.steps = count(1)
        self.step = 0
        # relay -> (record, field) -> the latest value written there (an older one was coalesced).
        self.writes: dict[str, dict[tuple[str, str], Written]] = defaultdict(dict)
        # relay -> record -> step of a delete not yet confirmed.
        self.deletes: dict[str, dict[str, int]] = defaultdict(dict)
        # relay -> (record, field, JSON of mine) -> the last step a sync showed that conflict.
        self.conflicts_seen: dict[str, dict[tuple[str, str, str], int]] = defaultdict(dict)

    def tick(self) -> int:
        self.step = next(self.steps)
        return self.step

    def wrote(self, relay: str, record_id: str, field: str, value: Any) -> None:
        self.writes[relay][(record_id, field)] = Written(record_id, field, value, self.step)

    def deleted(self, relay: str, record_id: str) -> None:
        # A deleted record's pending edits are not sent: the delete replaces them in the outbox.
        self.writes[relay] = {
            key: written for key, written in self.writes[relay].items() if key[0] != record_id
        }
        self.deletes[relay][record_id] = self.step

    def restored(self, relay: str, record_id: str) -> None:
        # An undone delete is replaced in the outbox by the values it re-asserts.
        self.deletes[relay].pop(record_id, None)

    def saw_conflict(self, relay: str, record_id: str, field: str, mine: Any) -> None:
        self.conflicts_seen[relay][(record_id, field, json.dumps(mine))] = self.step

    def kept_in_conflict(self, relay: str, written: Written) -> bool:
        seen = self.conflicts_seen[relay]
        mine = json.dumps(written.value)
        for field, value in ((written.field, mine), (DELETED_FIELD, "false")):
            step = seen.get((written.record_id, field, value))
            if step is not None and step >= written.step:
                return True
        return False


# -- the server's side, read from its own tables ---------------------------------------------------


@dataclass(frozen=True)
class ServerHistory:
    records: dict[str, Record]
    versions: dict[str, list[RecordVersion]]  # by record id, in version order
    answers: list[tuple[int, int, dict[str, Any]]]  # (device pk, seq, remembered answer)

    def field_values(self, record_id: str, field: str) -> list[Any]:
        return [version.values.get(field) for version in self.versions.get(record_id, [])]

    def ever_deleted(self, record_id: str) -> bool:
        return any(version.deleted for version in self.versions.get(record_id, []))

    def live(self, kind: str) -> dict[str, Record]:
        return {
            rid: rec for rid, rec in self.records.items() if rec.kind == kind and not rec.deleted
        }


def read_server(central: Central) -> ServerHistory:
    """Partners and file links (ids are UUIDs, unique across kinds), with their histories."""
    with central.database.reading() as session:
        records = {
            row.id: row for row in session.scalars(select(Record).where(Record.kind.in_(TRACED)))
        }
        versions: dict[str, list[RecordVersion]] = defaultdict(list)
        ordered = select(RecordVersion).where(RecordVersion.kind.in_(TRACED)).order_by(
            RecordVersion.id, RecordVersion.version
        )
        for version in session.scalars(ordered):
            versions[version.id].append(version)
        answers = [(row.device, row.seq, row.answer) for row in session.scalars(select(AppliedChange))]
        session.expunge_all()
    return ServerHistory(records, dict(versions), answers)


def start_central(folder: Path) -> Central:
    server_settings = load_settings(
        database_url=f"sqlite+pysqlite:///{folder / 'central.sqlite3'}", data_dir=folder / "central"
    )
    return Central(
        RunningServer(server_settings).start(), CentralDatabase(server_settings.database_url)
    )


def local_partners(relay: Relay) -> dict[str, Partner]:
    with relay.services.database.read() as session:
        rows = {row.id: row for row in session.scalars(select(Partner))}
        session.expunge_all()
    return rows


# -- the machine -------------------------------------------------------------------------------------


Method = TypeVar("Method", bound=Callable[..., Any])


def step(method: Method) -> Method:
    """Marks the machine broken when a step fails, so teardown does not bury that failure."""

    @functools.wraps(method)
    def run(self: RelaysEditingPartners, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self.broken = True
            raise

    return run  # type: ignore[return-value]


class RelaysEditingPartners(RuleBasedStateMachine):
    def __init__(self, base: Path) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(dir=base))
        self.central = start_central(self.folder)
        self.factory = RelayFactory(self.central, self.folder)
        self.relays: list[Relay] = []
        self.ledger = Ledger()
        self.values = count(1)
        self.created: set[str] = set()
        self.broken = False

    @initialize(relays=st.integers(min_value=2, max_value=3), shared=st.integers(1, 4),
                files=st.lists(FILE_SIZES, max_size=3))
    @step
    def enrol(self, relays: int, shared: int, files: list[int]) -> None:
        """The relays are enrolled and already hold a few partners in common, as in the field,
        some with files: captions, unlinks and restores then meet on the same links early on."""
        self.relays = [self.factory.make(name) for name in ("north", "south", "east")[:relays]]
        for _record in range(shared):
            self.create(0, set())
        for position, size in enumerate(files):
            self.link_a_file(0, position, PARTNER_ROLES[position % 2], size, captioned=True)
        self.everyone_syncs()

    def teardown(self) -> None:
        try:
            if self.relays and not self.broken:
                self.settle_and_compare()
        finally:
            self.factory.close()
            self.central.server.stop()
            self.central.database.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------

    def relay(self, index: int) -> Relay:
        return self.relays[index % len(self.relays)]

    def unique(self, relay: Relay, field: str) -> str:
        return f"{relay.name} {field} {next(self.values)}"

    def live_ids(self, relay: Relay) -> list[str]:
        return sorted(view.id for view in relay.services.records(KIND).list())

    def engine(self, relay: Relay, server_url: str, batch: int, pull_limit: int) -> SyncEngine:
        token = relay.token
        # urllib3's own retries sleep for seconds; the engine's quick schedule does the retrying.
        client = SyncClient(server_url, token, retries=0)
        return SyncEngine(
            relay.services.database, client, retries=QUICK_RETRIES, files_dir=files_dir(relay.data_dir),
            batch=AdaptiveBatch(size=batch, maximum=8), pull_limit=pull_limit,
        )

    def sync(self, relay: Relay, *, faults: Faults | None = None, batch: int = 4,
             pull_limit: int = 5) -> SyncSummary | None:
        """One sync run; None when it gave up (the link was too bad), which loses nothing."""
        try:
            if faults is None:
                summary = self.engine(relay, self.central.url, batch, pull_limit).sync()
            else:
                with FaultProxy(self.central.server.port, faults) as proxy:
                    summary = self.engine(relay, proxy.url, batch, pull_limit).sync()
        except SyncError:
            return None
        self.confirm(relay)
        return summary

    def confirm(self, relay: Relay) -> None:
        """After a completed sync: every write of ``relay`` is on the server or kept in a conflict."""
        for conflict in ConflictService(relay.services.database).list():
            self.ledger.saw_conflict(relay.name, conflict.record_id, conflict.field, conflict.mine)
        history = read_server(self.central)
        for written in self.ledger.writes[relay.name].values():
            arrived = written.value in history.field_values(written.record_id, written.field)
            assert arrived or self.ledger.kept_in_conflict(relay.name, written), (
                f"{relay.name} wrote {written.field}={written.value!r} on {written.record_id} "
                "and it is neither on the server nor in a conflict"
            )
        for record_id in self.ledger.deletes[relay.name]:
            assert record_id not in history.records or history.ever_deleted(record_id), (
                f"{relay.name} deleted {record_id} and the server never did"
            )
        self.ledger.writes[relay.name] = {}
        self.ledger.deletes[relay.name] = {}

    # -- what people do --------------------------------------------------------------------------

    @rule(who=st.integers(0, 2), fields=st.sets(st.sampled_from(EDITABLE), max_size=2))
    @step
    def create(self, who: int, fields: set[str]) -> None:
        relay = self.relay(who)
        self.ledger.tick()
        values = {"name": self.unique(relay, "name"), "city": self.unique(relay, "city"),
                  **{field: self.unique(relay, field) for field in fields}}
        created = relay.services.records(KIND).create(partner(0, **values))
        self.created.add(created.id)
        for field, value in values.items():
            self.ledger.wrote(relay.name, created.id, field, value)

    @rule(who=st.integers(0, 2), pick=PICK,
          fields=st.sets(st.sampled_from(EDITABLE), min_size=1, max_size=2))
    @step
    def edit(self, who: int, pick: int, fields: set[str]) -> None:
        relay = self.relay(who)
        ids = self.live_ids(relay)
        if not ids:
            return
        record_id = ids[pick % len(ids)]
        self.ledger.tick()
        changes = {field: self.unique(relay, field) for field in fields}
        relay.services.records(KIND).update(record_id, changes)
        for field, value in changes.items():
            self.ledger.wrote(relay.name, record_id, field, value)

    @rule(who=st.integers(0, 2), pick=PICK, field=st.sampled_from(EDITABLE[1:]))
    @step
    def clear(self, who: int, pick: int, field: str) -> None:
        relay = self.relay(who)
        ids = self.live_ids(relay)
        if not ids:
            return
        record_id = ids[pick % len(ids)]
        self.ledger.tick()
        relay.services.records(KIND).update(record_id, {field: None})
        # An empty field is not a unique value to trace; it only replaces the earlier write.
        self.ledger.writes[relay.name].pop((record_id, field), None)

    @rule(who=st.integers(0, 2), pick=PICK)
    @step
    def delete(self, who: int, pick: int) -> None:
        relay = self.relay(who)
        ids = [view.id for view in relay.services.records(KIND).list()]
        if not ids:
            return
        record_id = ids[pick % len(ids)]
        self.ledger.tick()
        links = [link_id for link_id, row in local_links(relay).items()
                 if row.owner_id == record_id and not row.deleted]
        relay.services.records(KIND).delete(record_id)
        self.ledger.deleted(relay.name, record_id)
        for link_id in links:  # a partner's files go with it
            self.ledger.deleted(relay.name, link_id)

    @rule(who=st.integers(0, 2), pick=PICK,
          choice=st.sampled_from(["mine", "theirs", "value"]))
    @step
    def decide_conflict(self, who: int, pick: int, choice: str) -> None:
        relay = self.relay(who)
        conflicts = ConflictService(relay.services.database)
        open_conflicts = conflicts.list()
        if not open_conflicts:
            return
        conflict = open_conflicts[pick % len(open_conflicts)]
        self.ledger.tick()
        if conflict.about_deletion:
            conflicts.resolve(conflict.id, keep="theirs" if choice == "theirs" else "mine")
        elif choice == "value":
            value = self.unique(relay, conflict.field)
            conflicts.resolve(conflict.id, value=value)
            self.ledger.wrote(relay.name, conflict.record_id, conflict.field, value)
        else:
            conflicts.resolve(conflict.id, keep=choice)  # type: ignore[arg-type]
            if choice == "mine":
                self.ledger.wrote(relay.name, conflict.record_id, conflict.field, conflict.mine)

    # -- files linked to partners ----------------------------------------------------------------

    @rule(who=st.integers(0, 2), pick=PICK, role=st.sampled_from(PARTNER_ROLES), size=FILE_SIZES,
          captioned=st.booleans())
    @step
    def link_a_file(self, who: int, pick: int, role: str, size: int, captioned: bool) -> None:
        relay = self.relay(who)
        owners = self.live_ids(relay)
        if not owners:
            return
        self.ledger.tick()
        content = file_content(self.unique(relay, "file"), size)
        caption = self.unique(relay, "caption") if captioned else None
        linked = link_file(relay, owners[pick % len(owners)], role, content, caption)
        self.created.add(linked.link.id)
        # The sha256 is the link's unique value: it is on the server once the link arrived.
        self.ledger.wrote(relay.name, linked.link.id, "sha256", linked.link.sha256)
        if caption is not None:
            self.ledger.wrote(relay.name, linked.link.id, "caption", caption)
        for replaced in linked.replaced:  # a partner has one logo and one poster at a time
            self.ledger.deleted(relay.name, replaced)

    @rule(who=st.integers(0, 2), pick=PICK)
    @step
    def caption_a_file(self, who: int, pick: int) -> None:
        relay = self.relay(who)
        ids = live_link_ids(relay)
        if not ids:
            return
        link_id = ids[pick % len(ids)]
        self.ledger.tick()
        caption = self.unique(relay, "caption")
        record_files(relay).set_caption(link_id, caption)
        self.ledger.wrote(relay.name, link_id, "caption", caption)

    @rule(who=st.integers(0, 2), other=st.integers(1, 2), pick=PICK)
    @step
    def caption_a_file_on_two_relays(self, who: int, other: int, pick: int) -> None:
        """Two people caption the same file before either syncs: whoever syncs second must get
        a conflict to decide, never a silent overwrite (the ledger checks both captions)."""
        first, second = self.relay(who), self.relay(who + other)
        shared = sorted(set(live_link_ids(first)) & set(live_link_ids(second)))
        if first is second or not shared:
            return
        link_id = shared[pick % len(shared)]
        self.ledger.tick()
        for relay in (first, second):
            caption = self.unique(relay, "caption")
            record_files(relay).set_caption(link_id, caption)
            self.ledger.wrote(relay.name, link_id, "caption", caption)

    @rule(who=st.integers(0, 2), pick=PICK)
    @step
    def unlink_a_file(self, who: int, pick: int) -> None:
        relay = self.relay(who)
        ids = live_link_ids(relay)
        if not ids:
            return
        link_id = ids[pick % len(ids)]
        self.ledger.tick()
        record_files(relay).unlink(link_id)
        self.ledger.deleted(relay.name, link_id)

    @rule(who=st.integers(0, 2), pick=PICK)
    @step
    def restore_a_file(self, who: int, pick: int) -> None:
        relay = self.relay(who)
        ids = removed_link_ids(relay)
        if not ids:
            return
        link_id = ids[pick % len(ids)]
        self.ledger.tick()
        restored = record_files(relay).restore(link_id)
        # The undo re-asserts every value the link holds here: they arrive or wait in a conflict.
        self.ledger.restored(relay.name, link_id)
        self.ledger.wrote(relay.name, link_id, "sha256", restored.sha256)
        if restored.caption is not None:
            self.ledger.wrote(relay.name, link_id, "caption", restored.caption)

    # -- syncs -------------------------------------------------------------------------------------

    @rule(who=st.integers(0, 2), batch=st.integers(1, 8), pull_limit=st.integers(1, 8))
    @step
    def sync_directly(self, who: int, batch: int, pull_limit: int) -> None:
        self.ledger.tick()
        summary = self.sync(self.relay(who), batch=batch, pull_limit=pull_limit)
        assert summary is not None, "a sync on a perfect link gave up"

    @rule()
    @step
    def everyone_syncs(self) -> None:
        self.ledger.tick()
        for relay in self.relays:
            assert self.sync(relay) is not None, "a sync on a perfect link gave up"

    @rule(who=st.integers(0, 2), seed=st.integers(0, 2**32 - 1),
          cut_request=st.sampled_from([0.2, 0.05, 0.0]), cut_response=st.sampled_from([0.2, 0.05]),
          batch=st.integers(1, 8))
    @step
    def sync_over_a_cutting_link(
        self, who: int, seed: int, cut_request: float, cut_response: float, batch: int
    ) -> None:
        self.ledger.tick()
        faults = Faults(cut_request=cut_request, cut_response=cut_response, seed=seed)
        self.sync(self.relay(who), faults=faults, batch=batch, pull_limit=3)

    # -- what always holds on the server --------------------------------------------------------

    @invariant()
    @step
    def server_history_is_whole(self) -> None:
        history = read_server(self.central)
        answered: dict[tuple[str, int], set[int]] = defaultdict(set)  # (record, version) -> devices
        made: dict[int, int] = defaultdict(int)  # device -> answers that may have written
        for device, _seq, answer in history.answers:
            if answer["status"] == "rejected":
                continue
            made[device] += 1
            answered[(answer["id"], answer["version"])].add(device)
        written: dict[int, int] = defaultdict(int)
        for record_id, versions in history.versions.items():
            assert record_id in self.created, f"the server holds {record_id}, which nobody made"
            record = history.records[record_id]
            assert [v.version for v in versions] == list(range(1, record.version + 1))
            assert (versions[-1].values, versions[-1].deleted) == (record.values, record.deleted)
            for version in versions:
                assert version.device in answered[(record_id, version.version)], (
                    f"version {version.version} of {record_id} was not made by a remembered change"
                )
                written[version.device] += 1
            for field in TRACED[record.kind]:
                assert_no_value_comes_back(history.field_values(record_id, field), record_id, field)
        for device, versions_made in written.items():
            assert versions_made <= made[device], "a device's change was applied more than once"

    # -- the end: a quiet round, then every replica is the server's ------------------------------

    def settle_and_compare(self) -> None:
        for relay in self.relays:
            assert self.sync(relay) is not None
        for relay in self.relays:
            conflicts = ConflictService(relay.services.database)
            for conflict in conflicts.list():
                conflicts.resolve(conflict.id, keep="theirs")
        # Three rounds: a relay may learn only in the second that a link it holds the file of is
        # live again (restored elsewhere in the first), upload it in the next run, and the relays
        # that sync before it in a round fetch it one round later.
        for _round in range(3):
            finals = [self.sync(relay) for relay in self.relays]
        for relay, summary in zip(self.relays, finals, strict=True):
            assert summary is not None and summary.in_sync, (relay.name, summary)
            assert summary.conflicts == 0 and summary.pushed == 0, (relay.name, summary)
            assert summary.files_failed == 0, (relay.name, summary)
            assert summary.files_pending == 0 and summary.files_to_download == 0, (
                relay.name, summary
            )

        history = read_server(self.central)
        names = [rec.values["name"] for rec in history.records.values() if rec.kind == KIND]
        assert len(names) == len(set(names)), "a created record is on the server twice"
        hashes = [rec.values["sha256"] for rec in history.records.values() if rec.kind == LINKS]
        assert len(hashes) == len(set(hashes)), "a linked file's link is on the server twice"
        live_files = {
            rec.values["sha256"]: rec.values["size"] for rec in history.live(LINKS).values()
        }
        for relay in self.relays:
            assert_replica(relay.name, KIND, local_partners(relay), history)
            assert_replica(relay.name, LINKS, local_links(relay), history)
            assert files_not_held(relay, live_files) == [], relay.name
            with relay.services.database.read() as session:
                assert session.scalars(select(PendingChange)).first() is None
            assert ConflictService(relay.services.database).list() == []


def assert_replica(
    relay: str, kind: str, rows: Mapping[str, SyncedRecord], history: ServerHistory
) -> None:
    """``rows`` (one relay's records of ``kind``) are exactly the server's live ones."""
    server_live = history.live(kind)
    live = {rid: row for rid, row in rows.items() if not row.deleted}
    assert set(live) == set(server_live), (relay, kind)
    for record_id, row in live.items():
        record = server_live[record_id]
        assert wire_values(kind, row) == record.values, (relay, kind, record_id)
        assert row.base_version == record.version and not row.dirty_fields, (relay, record_id)
    for record_id, row in rows.items():
        if row.deleted and record_id in history.records:
            assert history.records[record_id].deleted, (relay, kind, record_id)


def assert_no_value_comes_back(values: list[Any], record_id: str, field: str) -> None:
    """Each written value is unique, so once replaced it may only return through a replay."""
    replaced: set[Any] = set()
    previous: Any = None
    for value in values:
        if value != previous and previous is not None:
            replaced.add(previous)
        assert value is None or value not in replaced, (
            f"{field}={value!r} of {record_id} came back after being replaced"
        )
        previous = value


@pytest.mark.slow
def test_relays_editing_offline_converge_and_lose_nothing(tmp_path: Path) -> None:
    run_state_machine_as_test(lambda: RelaysEditingPartners(tmp_path), settings=SETTINGS)


def test_a_record_edited_then_deleted_here_comes_back_when_restored_elsewhere(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("first"), make_relay("second")
    record_id = first.services.records(KIND).create(partner(1)).id
    assert first.sync().in_sync and second.sync().in_sync
    first.services.records(KIND).update(record_id, {"description": "Sols vivants"})
    first.services.records(KIND).delete(record_id)
    assert first.sync().in_sync
    second.services.records(KIND).update(record_id, {"city": "Sète"})
    second.sync()
    conflicts = ConflictService(second.services.database)
    [conflict] = conflicts.list()
    assert conflict.about_deletion
    conflicts.resolve(conflict.id, keep="mine")  # the second relay brings the record back
    assert second.sync().in_sync

    assert first.sync().in_sync
    restored = first.services.records(KIND).get(record_id)  # NotFound: still deleted here
    assert restored.values["city"] == "Sète"


def test_undoing_a_delete_that_already_synced_brings_the_record_back_everywhere(
    central: Central, make_relay: Callable[..., Relay]
) -> None:
    first, second = make_relay("first"), make_relay("second")
    record_id = first.services.records(KIND).create(partner(2)).id
    first.services.records(KIND).update(record_id, {"city": "Thiès"})
    assert first.sync().in_sync and second.sync().in_sync
    first.services.records(KIND).delete(record_id)
    assert first.sync().in_sync
    assert second.sync().in_sync
    assert record_id not in [view.id for view in second.services.records(KIND).list()]

    first.services.records(KIND).restore(record_id)  # the person's undo, after the delete synced
    assert first.sync().in_sync and second.sync().in_sync
    assert second.services.records(KIND).get(record_id).values["city"] == "Thiès"
    assert first.services.records(KIND).get(record_id).values["city"] == "Thiès"
