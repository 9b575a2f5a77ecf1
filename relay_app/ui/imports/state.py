"""What the wizard's pages share: the services, the kind, and what the engine answered so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from relay_app.imports import Duplicates, ImportFile, ImportOutcome, Preview
from relay_app.imports.mapping import ColumnMapping
from relay_app.services import Services
from relay_app.services.records import RecordService


@dataclass
class ImportState:
    services: Services
    kind: str
    opened: ImportFile | None = None
    mapping: ColumnMapping | None = None
    preview: Preview | None = None
    valid_only: bool = False
    decisions: dict[int, Duplicates] = field(default_factory=dict)
    outcome: ImportOutcome | None = None

    @property
    def records(self) -> RecordService:
        return self.services.records(self.kind)
