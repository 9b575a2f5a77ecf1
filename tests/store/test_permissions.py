"""Personal data on disk is readable by its owner only, whatever the umask says.

The umask is set to 022 (the usual default, under which files were 0644 and folders 0755) and
every place Relay writes personal data is used for real: the store, a sync-free backup, a draft,
an attachment, an export, a restore. Then the modes are read back.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.services.attachments import AttachmentStore
from relay_app.services.drafts import DraftStore
from relay_app.store.backups import restore, take_backup
from relay_app.transfer import FileFormat, write_table
from tests.factories import partner

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows keeps the profile private")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_store_backups_drafts_attachments_and_exports_are_private(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "data")
    with open_services(paths) as services:
        record = services.records("partners").create(partner())
        wal = paths.data_dir / "relay.sqlite3-wal"
        shm = paths.data_dir / "relay.sqlite3-shm"
        assert wal.exists() and shm.exists()
        assert (_mode(wal), _mode(shm)) == (0o600, 0o600)
        backup = take_backup(paths.database, "manual")
        DraftStore(paths.drafts).save("partners-new-1", "partners", None, {"name": "Brouillon"})
        stored = AttachmentStore(paths.attachments).put_bytes(b"a photo of a field")
        export = tmp_path / "partners.csv"
        write_table(export, FileFormat.CSV, ["id", "name"], [record.to_json()])

    assert _mode(paths.data_dir) == 0o700
    assert _mode(paths.database) == 0o600
    assert _mode(paths.store_marker) == 0o600
    assert (_mode(paths.backups), _mode(backup.path)) == (0o700, 0o600)
    assert _mode(paths.drafts) == 0o700
    assert all(_mode(draft) == 0o600 for draft in paths.drafts.iterdir())
    assert (_mode(paths.attachments), _mode(stored.path)) == (0o700, 0o600)
    assert _mode(export) == 0o600


def test_a_folder_and_files_an_older_version_left_open_are_closed_at_open(tmp_path: Path) -> None:
    """Data folders of earlier versions are 0755 with a 0644 database: tightened, not recreated."""
    paths = resolve_paths(tmp_path / "data")
    open_services(paths).close()
    os.chmod(paths.data_dir, 0o755)
    os.chmod(paths.database, 0o644)
    paths.attachments.mkdir(mode=0o755)  # as a sync download makes it, with the umask's mode

    with open_services(resolve_paths(paths.data_dir)) as services:
        services.status()
        assert _mode(paths.data_dir / "relay.sqlite3-wal") == 0o600

    assert _mode(paths.data_dir) == 0o700
    assert _mode(paths.database) == 0o600
    assert _mode(paths.attachments) == 0o700


def test_restored_database_and_set_aside_folder_are_private(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "data")
    open_services(paths).close()
    backup = take_backup(paths.database, "manual")
    restored = restore(paths, backup.path)
    assert _mode(paths.database) == 0o600
    assert restored.set_aside is not None
    assert _mode(paths.set_aside) == 0o700


def test_replacing_an_export_keeps_the_mode_its_owner_chose(tmp_path: Path) -> None:
    export = tmp_path / "shared.json"
    export.write_text("[]", encoding="utf-8")
    os.chmod(export, 0o640)
    write_table(export, FileFormat.JSON, ["id"], [{"id": "x"}])
    assert _mode(export) == 0o640
