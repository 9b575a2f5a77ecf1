"""Automatic sync backs off while the server cannot be used and resets once a tick succeeds."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from relay_app.config import Paths
from relay_app.services import Services
from relay_app.sync.connect import enroll_device
from relay_app.ui.sync.auto_sync import AutoSync
from relay_app.ui.sync.preferences import SyncPreferences
from relay_app.ui.sync.runner import SyncRunner, wait_for_network
from tests.central.harness import Central
from tests.sync.conftest import REGIONS
from tests.sync.records import partner


def test_ticks_back_off_on_failure_and_reset_on_success(
    services: Services, paths: Paths, qtbot: QtBot, central: Central
) -> None:
    runner = SyncRunner(services.database, paths.data_dir)
    auto = AutoSync(runner, regular_ms=40, longest_ms=120)
    waits: list[int] = []
    auto.scheduled.connect(waits.append)
    try:
        # Not enrolled yet: every tick fails, and the wait doubles up to the longest.
        auto.set_enabled(True)
        qtbot.waitUntil(lambda: auto.failures >= 3)
        assert waits[:4] == [40, 80, 120, 120]

        services.records("partners").create(partner(1))
        enroll_device(services.database, paths.data_dir, central.url, central.relay(REGIONS))
        with qtbot.waitSignal(runner.finished):
            pass
        assert auto.failures == 0 and auto.interval_ms == 40 and auto.is_scheduled()
        assert services.status().pending_changes == 0  # the tick sent the waiting change

        auto.set_enabled(False)
        assert not auto.is_scheduled()
    finally:
        auto.set_enabled(False)
        wait_for_network()


def test_the_setting_survives_a_restart(paths: Paths) -> None:
    assert SyncPreferences(paths).automatic is True
    SyncPreferences(paths).automatic = False
    assert SyncPreferences(paths).automatic is False
