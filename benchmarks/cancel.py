"""Cancel during a sync: how long from the press to the run's end, on an idle and on a busy machine.

Run by hand (not in CI):

    .venv/bin/python benchmarks/cancel.py                  # 20 cancels, idle machine
    .venv/bin/python benchmarks/cancel.py --busy 3         # the same beside 3 busy processes

Docs and tests promise that Cancel stops a run within a second (docs/ui.md); the tests check it
once each, with the request in flight on a link that takes 3 s per hop. This measures the same
path many times to show the margin that bound has: the reference server on 127.0.0.1 (SQLite), a
relay with 40 new partners, the fault proxy of tests/sync adding 3 s to every chunk; the run is
cancelled as soon as its first request is on the link, and the time to the run's end (its
history row written, ``Cancelled`` raised) is taken. ``--busy N`` starts N processes spinning on
the CPU for the whole measurement (the machine has 2 cores), like a CI machine shared with other
jobs. The figures go into docs/benchmarks.md ("Cancel").
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latencies import describe

from relay_app.config import resolve_paths
from relay_app.services import open_services
from relay_app.sync.client import SyncClient, Timeouts
from relay_app.sync.connect import enroll_device, files_dir
from relay_app.sync.credentials import STORE_VARIABLE
from relay_app.sync.engine import SyncEngine
from relay_app.sync.errors import Cancelled
from relay_app.sync.identity import enrolled_token
from relay_central.db import Database as CentralDatabase
from relay_central.settings import load_settings
from tests.central.harness import Central, RunningServer
from tests.sync.fault_proxy import FaultProxy, Faults
from tests.sync.records import partner

LATENCY_SECONDS = 3.0  # per chunk and hop: a request that is waited for takes 6 s or more
PROMISE_SECONDS = 1.0


def _spin() -> None:
    while True:
        pass


def _one_cancel(engine: SyncEngine, proxy: FaultProxy) -> float:
    """Seconds from the cancel to the end of a run whose first request is on the link."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            engine.sync()
        except BaseException as error:
            outcome.append(error)

    connections = proxy.stats.connections
    worker = threading.Thread(target=run)
    worker.start()
    while proxy.stats.connections == connections:
        if not worker.is_alive():
            raise SystemExit(f"the run ended before reaching the link: {outcome!r}")
        time.sleep(0.005)
    asked = time.monotonic()
    engine.cancel()
    worker.join()
    stopped = time.monotonic() - asked
    if len(outcome) != 1 or not isinstance(outcome[0], Cancelled):
        raise SystemExit(f"the run did not end cancelled: {outcome!r}")
    return stopped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--busy", type=int, default=0, help="busy processes beside the runs")
    options = parser.parse_args()

    os.environ[STORE_VARIABLE] = "file"
    folder = Path(tempfile.mkdtemp(prefix="relay-cancel-"))
    settings = load_settings(
        database_url=f"sqlite+pysqlite:///{folder / 'central.sqlite3'}", data_dir=folder / "central"
    )
    central = Central(RunningServer(settings).start(), CentralDatabase(settings.database_url))
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(options.busy)]
    try:
        data_dir = resolve_paths(folder / "relay").data_dir
        services = open_services(resolve_paths(data_dir))
        enroll_device(services.database, data_dir, central.url,
                      central.relay(["western_europe"]), "laptop")
        for number in range(40):
            services.records("partners").create(partner(number))
        token = enrolled_token(services.database, data_dir)
        for spinner in spinners:
            spinner.start()
        seconds: list[float] = []
        with FaultProxy(central.server.port, Faults(latency=LATENCY_SECONDS)) as proxy:
            for _ in range(options.runs):  # a new client each time, as each run of the app has
                client = SyncClient(proxy.url, token, timeouts=Timeouts(connect=5, read=30))
                engine = SyncEngine(services.database, client, files_dir=files_dir(data_dir))
                seconds.append(_one_cancel(engine, proxy))
        print(f"cancel to end of run, {options.busy} busy processes: "
              f"{describe([value * 1000 for value in seconds])}")
        over = sum(value >= PROMISE_SECONDS for value in seconds)
        print(f"runs over {PROMISE_SECONDS:.0f} s: {over} of {len(seconds)}; "
              f"pending changes kept: {services.status().pending_changes}")
        services.close()
    finally:
        for spinner in spinners:
            spinner.terminate()
        central.server.stop()
        central.database.dispose()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
