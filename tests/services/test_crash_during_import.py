"""A process killed (SIGKILL) in the middle of a 10,000-row import leaves a consistent database.

A real child process runs the import and reports its progress on stdout; the test kills it at chosen
points - while validating, early in the write, late in the write - then checks the file passes SQLite's
integrity check, opens with the services, and holds either none or all of the rows.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from relay_app.config import resolve_paths
from relay_app.services import open_services
from tests import factories

ROWS = 10_000
REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {repo!r})
    from relay_app.config import resolve_paths
    from relay_app.services import open_services
    from relay_app.transfer.reading import SourceRow
    from tests import factories

    rows = [SourceRow(i + 2, factories.partner(name=f"Partner {{i}}")) for i in range({rows})]

    def report(done, total):
        print(f"progress {{done}}", flush=True)

    with open_services(resolve_paths({data_dir!r})) as services:
        print("ready", flush=True)
        services.import_rows("partners", rows, progress=report)
    print("done", flush=True)
    """
)


def _run_and_kill(data_dir: Path, kill_at: int) -> bool:
    """Run the import in a child and SIGKILL it once it reports ``kill_at``; True if it finished first."""
    code = CHILD.format(repo=str(REPO), rows=ROWS, data_dir=str(data_dir))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    finished = False
    for line in child.stdout:
        if line.startswith("progress") and int(line.split()[1]) >= kill_at:
            os.kill(child.pid, signal.SIGKILL)
            break
        if line.startswith("done"):
            finished = True
            break
    child.wait(timeout=120)
    return finished


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [5_000, ROWS + 2_000, 2 * ROWS - 200])
def test_killed_import_leaves_none_or_all(tmp_path: Path, kill_at: int) -> None:
    paths = resolve_paths(tmp_path / "data")
    finished = _run_and_kill(paths.data_dir, kill_at)

    connection = sqlite3.connect(paths.database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = connection.execute("SELECT count(*) FROM partners").fetchone()[0]
        pending = connection.execute("SELECT count(*) FROM pending_changes").fetchone()[0]
    finally:
        connection.close()
    assert count in (0, ROWS)
    assert pending == count, "records and their outbox entries must land together"
    if not finished:
        assert count == 0

    with open_services(paths) as services:
        assert services.records("partners").count() == count
        services.records("partners").create(factories.partner(name="After the crash"))
        assert services.records("partners").list(search="crash")[0].values["name"] == "After the crash"
