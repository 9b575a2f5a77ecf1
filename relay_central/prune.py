"""Forget what no client can still need: old tombstones, old versions, old replay answers.

Pruning tombstones moves `pruned_through` forward, so a cursor from before them is answered with
`resync` instead of silently missing a delete. Expired uploads go too, with their part files.
When rows were removed, the database files are compacted so that their bytes go too
(relay_central.erasure.compact).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from relay_central.blobs import upload_path
from relay_central.db import Database, server_state
from relay_central.erasure import LogInUse, compact
from relay_central.models import AppliedChange, Record, RecordVersion, ScopeExit, Upload, utc_now
from relay_central.quotas import forget_expired_uploads
from relay_central.settings import Settings
from relay_central.volume import forget_past_days


@dataclass(frozen=True)
class PruneReport:
    tombstones: int
    versions: int
    answers: int
    uploads: int
    pruned_through: int
    # What was done so that the removed rows' bytes leave the database files (see erasure.compact).
    compacted: list[str] = field(default_factory=list)


def prune(
    database: Database,
    settings: Settings,
    older_than: timedelta | None = None,
    now: datetime | None = None,
) -> PruneReport:
    cutoff = (now or utc_now()) - (older_than if older_than is not None
                                    else timedelta(days=settings.retention_days))
    with database.writing() as session:
        state = server_state(session)
        old_tombstones = select(Record.kind, Record.id, Record.change_seq).where(
            Record.deleted.is_(True), Record.updated_at <= cutoff
        )
        doomed = session.execute(old_tombstones).all()
        for kind, record_id, _seq in doomed:
            session.execute(
                delete(RecordVersion).where(RecordVersion.kind == kind, RecordVersion.id == record_id)
            )
            session.execute(delete(Record).where(Record.kind == kind, Record.id == record_id))
            session.execute(
                delete(ScopeExit).where(ScopeExit.kind == kind, ScopeExit.id == record_id)
            )
        if doomed:
            state.pruned_through = max(state.pruned_through, max(seq for *_k, seq in doomed))

        current = aliased(Record)
        latest_version = (
            select(func.max(current.version))
            .where(current.kind == RecordVersion.kind, current.id == RecordVersion.id)
            .scalar_subquery()
        )
        versions = session.execute(
            delete(RecordVersion).where(
                RecordVersion.created_at <= cutoff, RecordVersion.version < latest_version
            )
        ).rowcount
        answers = session.execute(
            delete(AppliedChange).where(AppliedChange.created_at <= cutoff)
        ).rowcount
        # Uploads are dead once expired (their address answers 404): they go whatever the cutoff.
        stale_uploads = session.scalars(select(Upload.id).where(Upload.updated_at <= cutoff)).all()
        session.execute(delete(Upload).where(Upload.id.in_(stale_uploads)))
        stale_uploads = [*stale_uploads, *forget_expired_uploads(session, settings, now=now)]
        forget_past_days(session, now or utc_now())
        pruned_through = state.pruned_through
    for upload_id in stale_uploads:
        upload_path(settings, upload_id).unlink(missing_ok=True)
    compacted: list[str] = []
    if doomed or versions or answers:
        # SQLite zeroed the rows already: a log still in use is truncated at the next chance.
        with suppress(LogInUse):
            compacted = list(compact(database))
    return PruneReport(
        tombstones=len(doomed),
        versions=int(versions or 0),
        answers=int(answers or 0),
        uploads=len(stale_uploads),
        pruned_through=pruned_through,
        compacted=compacted,
    )
