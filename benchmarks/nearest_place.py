"""`relay-app partners nearest --at LAT,LON` among 20,000 partners, as a person runs it (by hand).

    .venv/bin/python benchmarks/nearest_place.py [--partners 20000] [--runs 15] [--data-dir DIR]

The store is filled like ``benchmarks/map.py`` (partners around 300 towns, 5% without a
position). Prints:

- the command in a fresh process, as typed in a terminal (``--json``, 10 partners): each run
  starts Python, opens the store, reads every position into the k-d tree and answers;
- the same from a partner (``partners nearest PARTNER_ID``), for comparison;
- ``relay-app --version``, the floor every command pays to start;
- ``MapService.nearest_partners_to`` in one process once its tree is built (the window's path).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latencies import describe  # benchmarks/latencies.py, beside this script
from map import fill  # the map benchmark's partners, so both measure the same store

from relay_app.config import resolve_paths
from relay_app.services import open_services

ROOT = Path(__file__).resolve().parents[1]


def command(data_dir: Path, *argv: str) -> tuple[float, str]:
    """Milliseconds for ``relay-app --data-dir DIR ARGV`` in a new process, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "relay_app.cli.main", "--data-dir", str(data_dir), *argv],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        sys.exit(f"relay-app {' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--data-dir")
    arguments = parser.parse_args()
    data_dir = Path(arguments.data_dir or tempfile.mkdtemp(prefix="relay-nearest-bench-"))
    rng = random.Random(20261130)
    with open_services(resolve_paths(data_dir)) as services:
        fill(services, arguments.partners, rng)
        placed = [row[0] for row in services.records("partners").columns(("latitude",), None, {})
                  if row[1] is not None]
        places = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _run in range(arguments.runs)]
        services.map.nearest_partners_to(0.0, 0.0, 10)  # builds the tree
        warm = []
        for latitude, longitude in places * 4:
            started = time.perf_counter()
            found = services.map.nearest_partners_to(latitude, longitude, 10)
            warm.append((time.perf_counter() - started) * 1000)
            assert len(found) == 10
    print(f"{len(placed):,} partners placed among {arguments.partners:,}")

    at_place, from_partner, version = [], [], []
    for (latitude, longitude), partner_id in zip(places, rng.sample(placed, arguments.runs), strict=True):
        elapsed, out = command(data_dir, "partners", "nearest", f"--at={latitude:.4f},{longitude:.4f}",
                               "--json")
        assert len(json.loads(out)) == 10
        at_place.append(elapsed)
        from_partner.append(command(data_dir, "partners", "nearest", partner_id, "--json")[0])
        version.append(command(data_dir, "--version")[0])
    print(f"partners nearest --at, a new process:       {describe(at_place)}")
    print(f"partners nearest PARTNER_ID, a new process: {describe(from_partner)}")
    print(f"relay-app --version, a new process:         {describe(version)}")
    print(f"nearest_partners_to, tree built:            {describe(warm)}")


if __name__ == "__main__":
    main()
