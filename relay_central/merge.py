"""Field-level three-way merge of a client's changed fields into the server's copy of a record.

Pure: no database, no I/O. `base` is the record as it was at the version the client started
from, `server` the record as the server holds it now, `client` only the fields the client changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldConflict:
    """The same field changed on both sides to different values; the server value stands."""

    field: str
    server_value: Any
    client_value: Any
    base_value: Any


@dataclass(frozen=True)
class MergeOutcome:
    values: dict[str, Any]
    # The client's fields that changed the server's copy.
    applied: dict[str, Any] = field(default_factory=dict)
    # Fields changed on the server since the base that the client did not touch, with their values.
    server_changes: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def three_way_merge(
    base: Mapping[str, Any] | None,
    server: Mapping[str, Any],
    client: Mapping[str, Any],
) -> MergeOutcome:
    """Merge ``client`` into ``server`` against ``base``.

    A field the client changed is taken when the server still has the base value; kept when the
    client's value is the server's already; a conflict when both changed it differently. With no
    known base (``None``) every client value that differs from the server's is a conflict: nothing
    proves which side changed it.
    """
    merged = dict(server)
    applied: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    server_changes: dict[str, Any] = {}
    for name, client_value in client.items():
        server_value = server.get(name)
        if client_value == server_value:
            continue
        if base is not None:
            base_value = base.get(name)
            if server_value == base_value:
                merged[name] = client_value
                applied[name] = client_value
                continue
            if client_value == base_value:
                # The client sent its base value unchanged: the server's newer value stands.
                server_changes[name] = server_value
                continue
        else:
            base_value = None
        conflicts.append(FieldConflict(name, server_value, client_value, base_value))

    if base is not None:
        for name, server_value in server.items():
            if name not in client and server_value != base.get(name):
                server_changes[name] = server_value
    return MergeOutcome(merged, applied, server_changes, conflicts)
