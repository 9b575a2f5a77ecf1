"""What a revoked device erases: every copy of the participants' personal data on this computer.

The coordinator revokes a lost or stolen laptop on the server; at its next contact the server
answers ``revoked`` and the app erases, here and nowhere else:

- the registrations and the check-in log, with everything the sync keeps about them (outbox
  entries, conflicts, records to fetch, merges waiting), their full-text index rebuilt empty,
  and the imports of participants (an import that updated them keeps the values it replaced);
- freed pages: ``secure_delete`` zeroes them as they are freed, then ``VACUUM`` rewrites the file
  and the WAL is truncated, so no deleted text stays in the database file or its companions;
- every backup and everything set aside (a restore's copies, a store set aside after a forgotten
  passphrase): they hold registrations; one new backup
  of what is kept (partners, practices, forums) is taken at once;
- drafts of registrations and the badge print log;
- the device token, wherever it is kept (keyring or file).

Partners, practices and forums stay, with their unsent changes: they are the Initiative's public
directory, and a relay may enrol again and send them. Deleted files are unlinked; on SSDs and
journalled file systems that does not guarantee the blocks are overwritten (see docs/security.md).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, select, text

from relay_app.config import Paths
from relay_app.services.badges import PRINT_LOG_FILE
from relay_app.services.drafts import DraftStore
from relay_app.store.backups import list_backups, take_backup
from relay_app.store.database import Database
from relay_app.store.models import (
    CheckIn,
    ImportBatch,
    ImportBatchRecord,
    ImportBatchUpdate,
    MergeTombstoneDue,
    PendingChange,
    RecordToFetch,
    Registration,
    SnapshotSeen,
    SyncConflict,
)
from relay_app.store.types import utc_now
from relay_app.sync.credentials import TokenStore, token_key
from relay_app.sync.state import SERVER_ID, SERVER_URL, read_state, write_state

PERSONAL_KINDS = ("registrations", "checkins")
WIPED_STATE = "device_wiped"  # what was erased and when, for the window to tell the person


@dataclass(frozen=True)
class WipeReport:
    registrations: int
    checkins: int
    files: int  # backups, set-aside copies, drafts and logs removed
    at: str  # ISO time of the wipe

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def wipe_personal_data(paths: Paths, database: Database) -> WipeReport:
    """Erase the participants' personal data and the token (see the module's docstring)."""
    with database.write() as session:
        session.execute(text("PRAGMA secure_delete=ON"))
        registrations = session.scalar(select(func.count()).select_from(Registration)) or 0
        checkins = session.scalar(select(func.count()).select_from(CheckIn)) or 0
        for table in (PendingChange, SyncConflict, RecordToFetch, SnapshotSeen):
            session.execute(delete(table).where(table.kind.in_(PERSONAL_KINDS)))
        session.execute(delete(MergeTombstoneDue))
        # An import that updated participants kept the values it replaced (for its undo): the
        # batch goes whole, with the ids it lists.
        personal_batches = select(ImportBatch.id).where(ImportBatch.kind.in_(PERSONAL_KINDS))
        for table in (ImportBatchUpdate, ImportBatchRecord):
            session.execute(delete(table).where(table.batch_id.in_(personal_batches)))
        session.execute(delete(ImportBatch).where(ImportBatch.kind.in_(PERSONAL_KINDS)))
        session.execute(delete(CheckIn))
        session.execute(delete(Registration))
        # External-content FTS5 keeps deleted tokens in its segments until they merge: rebuilt
        # from the (now empty) table, the index holds none of them.
        session.execute(text("INSERT INTO registrations_fts(registrations_fts) VALUES ('rebuild')"))
        server_url = read_state(session, SERVER_URL)
        server_id = read_state(session, SERVER_ID)
    _compact(database)
    removed = _remove_copies(paths)
    if server_url:
        tokens = TokenStore(paths.data_dir)
        tokens.forget(token_key(server_id, server_url))
        tokens.forget(server_url)  # where versions before server ids kept it
    # Cut off before here, the next contact is refused again (the token is still held) and the
    # wipe runs again over what is left.
    report = WipeReport(registrations, checkins, removed, utc_now().isoformat())
    with database.write() as session:
        write_state(session, WIPED_STATE, json.dumps(report.to_json()))
    take_backup(paths.database, "wipe")  # what is kept, so a later restore brings nobody back
    return report


def last_wipe(database: Database) -> WipeReport | None:
    """The wipe this store went through, if any."""
    with database.read() as session:
        stored = read_state(session, WIPED_STATE)
    if not stored:
        return None
    try:
        return WipeReport(**json.loads(stored))
    except (TypeError, ValueError):
        return None


def _compact(database: Database) -> None:
    """Rewrite the file without the freed pages, and empty the WAL into it."""
    with database.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA secure_delete=ON")
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _remove_copies(paths: Paths) -> int:
    removed = 0
    for backup in list_backups(paths.backups):
        backup.path.unlink(missing_ok=True)
        removed += 1
    if paths.set_aside.is_dir():
        for copy in paths.set_aside.iterdir():  # restores' copies, and stores set aside whole
            if copy.is_dir():
                shutil.rmtree(copy)
            else:
                copy.unlink()
            removed += 1
    drafts = DraftStore(paths.drafts)
    for draft in drafts.all():
        if draft.kind in PERSONAL_KINDS:
            drafts.discard(draft.key)
            removed += 1
    print_log = paths.data_dir / PRINT_LOG_FILE
    if print_log.exists():
        print_log.unlink()
        removed += 1
    return removed
