"""Asking for a files sync from anywhere in the window ("Download now" next to a missing photo).

Widgets find the Sync page of their own window and trigger its "Sync files now" action, so a
download asked from an editor is the very same run, with the same progress and summary, as one
started on the Sync page. Nothing is global: two windows (as in tests) each ask their own page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from relay_app.ui.sync.sync_page import SyncPage


def sync_page_of(widget: QWidget) -> SyncPage | None:
    page = widget.window().findChild(SyncPage)
    return page if isinstance(page, SyncPage) else None


def request_files_sync(widget: QWidget) -> bool:
    """Start a sync that moves files now; False when none can start (not enrolled, or busy)."""
    page = sync_page_of(widget)
    if page is None or not page.sync_files_action.isEnabled():
        return False
    page.sync_files_action.trigger()
    return page.runner.busy


def follow_sync_runs(
    widget: QWidget, slot: Callable[[], None], followed: SyncPage | None
) -> SyncPage | None:
    """Connect ``slot`` (a method of ``widget``, so Qt drops the link with it) to the end of every
    run of the window's Sync page. ``followed`` is the page connected before; returns the page
    followed now. Safe to call often: it connects once per page.
    """
    page = sync_page_of(widget)
    if page is None or page is followed:
        return followed
    page.run_ended.connect(slot)
    return page
