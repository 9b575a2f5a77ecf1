"""The services: everything the UI, the CLI and the sync engine do to the local data."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from relay_app.config import Paths
from relay_app.forms import KINDS
from relay_app.services.checkin import CheckInService
from relay_app.services.duplicates import DuplicateService
from relay_app.services.errors import UnknownKind
from relay_app.services.importing import ImportReport, Progress, import_rows
from relay_app.services.mapping import MapService
from relay_app.services.records import RecordService, RecordView
from relay_app.services.status import StatusReport, ensure_device, read_status
from relay_app.store.database import Database
from relay_app.store.migrate import current_revision
from relay_app.store.opening import note_good_open, open_store
from relay_app.transfer.reading import SourceRow

__all__ = [
    "CheckInService",
    "ImportReport",
    "RecordService",
    "RecordView",
    "Services",
    "StatusReport",
    "open_services",
]


class Services:
    """The entry point for one open data dir: a service per record kind, plus status."""

    def __init__(self, paths: Paths, database: Database) -> None:
        self.paths = paths
        self.database = database
        self._records = {kind: RecordService(database, kind) for kind in KINDS}
        self.check_ins = CheckInService(
            database, self._records["registrations"], self._records["forums"]
        )
        self.duplicates = DuplicateService(database, self._records["registrations"])
        self.map = MapService(self._records["partners"], self._records["practices"])
        self.device_id = ensure_device(database)

    def records(self, kind: str) -> RecordService:
        try:
            return self._records[kind]
        except KeyError:
            raise UnknownKind(kind) from None

    def import_rows(
        self, kind: str, rows: Sequence[SourceRow], *, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        return import_rows(self.records(kind), rows, dry_run=dry_run, progress=progress)

    def status(self) -> StatusReport:
        return read_status(self.database)

    def migrate_current(self) -> str | None:
        return current_revision(self.database.path)

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def open_services(paths: Paths) -> Services:
    """Open (and create or upgrade, after a backup) the database of ``paths``.

    Raises ``StoreProblem``, having changed nothing, when the database is empty, damaged or
    read-only where a store lived before.
    """
    database = open_store(paths)
    try:
        services = Services(paths, database)
    except BaseException:
        database.close()
        raise
    note_good_open(paths, services.device_id)
    return services
