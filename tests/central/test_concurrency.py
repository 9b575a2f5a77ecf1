"""Concurrent writers and a reader: the cursor never steps over a change that committed late."""

from __future__ import annotations

import threading
import time

from tests.central.harness import Central, Device, forum, new_id

WRITERS = 4
BATCHES = 12
PER_BATCH = 8


def _write(device: Device, committed: dict[str, int], lock: threading.Lock,
           failures: list[BaseException]) -> None:
    try:
        mine: dict[str, int] = {}
        for batch in range(BATCHES):
            changes = [device.change("forums", new_id(), forum(capacity=10 + batch))
                       for _ in range(PER_BATCH // 2)]
            # Half of each batch edits records this device made earlier.
            changes += [device.change("forums", record, {"capacity": 200 + batch},
                                      base_version=version)
                        for record, version in list(mine.items())[-(PER_BATCH // 2):]]
            results = device.push(*changes)
            for change, result in zip(changes, results, strict=True):
                assert result["status"] == "applied", result
                mine[change["id"]] = result["version"]
            with lock:
                committed.update({change["id"]: mine[change["id"]] for change in changes})
    except BaseException as error:  # surfaced by the main thread
        failures.append(error)


def test_pulled_set_equals_committed_set_under_concurrent_writers(central: Central) -> None:
    reader = central.device(["western_europe"])
    writers = [central.device(["western_europe"]) for _ in range(WRITERS)]
    committed: dict[str, int] = {}
    lock = threading.Lock()
    failures: list[BaseException] = []
    threads = [threading.Thread(target=_write, args=(device, committed, lock, failures))
               for device in writers]
    for thread in threads:
        thread.start()

    seen: dict[str, int] = {}
    cursor: str | None = None
    pages = 0
    while any(thread.is_alive() for thread in threads):
        page = reader.pull(cursor, limit=7)
        assert not page["resync"]
        for item in page["items"]:
            seen[item["id"]] = max(seen.get(item["id"], 0), item["version"])
        cursor = page["next_cursor"]
        pages += 1
        if not page["has_more"]:
            time.sleep(0.01)
    for thread in threads:
        thread.join()
    assert failures == []

    # Only go on from where the reader was: a skipped change would never come back.
    items, _end = reader.pull_all(cursor, limit=50)
    for item in items:
        seen[item["id"]] = max(seen.get(item["id"], 0), item["version"])
    assert pages > 3
    assert len(committed) == WRITERS * BATCHES * PER_BATCH // 2
    assert seen == committed
