"""Badges and printable lists, drawn by Qt's own PDF writer so that every script is shaped."""
