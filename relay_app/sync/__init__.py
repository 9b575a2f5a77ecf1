"""Sync with the central platform: wire schema, HTTP client, engine, conflicts, credentials."""
