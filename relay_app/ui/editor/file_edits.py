"""What the editor did to a record's files since it opened or last saved, so Cancel can undo it.

Files are linked, removed and captioned as soon as the person acts (they live in their own
table, not in the record's fields), so leaving the editor with "Discard changes" must undo
those writes too. Each write notes its inverse here; ``undo`` runs them newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from relay_app.services.record_files import RecordFileService

Step = tuple[Literal["unlink", "restore", "caption"], str, str | None]


@dataclass
class FileEdits:
    """The inverse of every file write made in the editor, oldest first."""

    steps: list[Step] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.steps)

    def added(self, file_ids: list[str], replaced: list[str]) -> None:
        """Files linked (a logo or poster replacing ``replaced``)."""
        self.steps.extend(("restore", file_id, None) for file_id in replaced)
        self.steps.extend(("unlink", file_id, None) for file_id in file_ids)

    def removed(self, file_ids: list[str]) -> None:
        self.steps.extend(("restore", file_id, None) for file_id in file_ids)

    def restored(self, file_ids: list[str]) -> None:
        self.steps.extend(("unlink", file_id, None) for file_id in file_ids)

    def captioned(self, file_id: str, before: str | None) -> None:
        self.steps.append(("caption", file_id, before))

    def take(self) -> FileEdits:
        """These edits, leaving none here (they are kept, or about to be undone)."""
        taken, self.steps = FileEdits(self.steps), []
        return taken


def undo(service: RecordFileService, edits: FileEdits) -> None:
    """Undo ``edits``, newest first, on the database thread."""
    for action, file_id, caption in reversed(edits.steps):
        if action == "unlink":
            service.unlink(file_id)
        elif action == "restore":
            service.restore(file_id)
        else:  # newest first, so the file is live again as it was when captioned
            service.set_caption(file_id, caption or "")
