"""The Sync area of the window: enrolment, sync now, outbox, history, conflicts, automatic sync."""

from relay_app.ui.sync.conflicts_page import ConflictsPage
from relay_app.ui.sync.runner import SyncRunner, network_pool, wait_for_network
from relay_app.ui.sync.sync_page import SyncPage

__all__ = ["ConflictsPage", "SyncPage", "SyncRunner", "network_pool", "wait_for_network"]
