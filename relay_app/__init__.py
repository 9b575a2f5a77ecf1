"""Relay: offline-first desktop app for the regional relays of the 4 per 1000 Initiative."""

__version__ = "0.1.0"
