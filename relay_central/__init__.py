"""Relay's reference central server: the sync API (protocols 1 and 2) and its admin commands.

It shares only the wire schema (``relay_app.sync.wire``), the form validator (``relay_app.forms``)
and code lists with the desktop app. docs/sync-protocol.md and docs/central-operations.md describe
it for client authors and for administrators.
"""
