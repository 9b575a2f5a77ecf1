"""A sync in its own process that kills itself at a chosen point (for the crash tests).

Usage: python -m tests.sync.sync_child DATA_DIR SERVER_URL (PHASE N | after SECONDS)
``PHASE N`` dies with SIGKILL at the N-th progress report of that phase (``push_answered`` is
after the server applied a batch and before its receipt is stored); ``after SECONDS`` dies after
that long, wherever the sync is, mid-transaction included.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.sync.batching import AdaptiveBatch
from relay_app.sync.connect import open_engine
from relay_app.sync.progress import Phase, SyncProgress


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> int:
    data_dir, server_url, how, when = Path(argv[0]), argv[1], argv[2], argv[3]
    seen = 0

    def report(step: SyncProgress) -> None:
        nonlocal seen
        if how != "after" and step.phase is Phase(how):
            seen += 1
            if seen == int(when):
                _die()

    if how == "after":
        threading.Timer(float(when), _die).start()
    with open_services(resolve_paths(data_dir)) as services:
        # Small batches: a round's ~30 changes take several push answers (so "push_answered 3"
        # is inside the run) and the run outlasts the timed kills, now that own changes come
        # back from the server without their values.
        engine = open_engine(services.database, data_dir, server_url, progress=report,
                             batch=AdaptiveBatch(size=10, maximum=10))
        engine.pull_limit = 40
        summary = engine.sync()
    print("in sync" if summary.in_sync else "not in sync")
    os._exit(0)  # do not wait for a pending kill timer


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
